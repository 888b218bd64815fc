package io.vcc.server.node;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Registration tokens an installer chose beforehand (comma-separated in {@code VCC_NODE_REGISTRATION_PRESET_TOKENS},
 * at least 16 characters each), so that unattended installs register their nodes without asking for a token.
 */
@ConfigurationProperties("vcc.node-registration")
record PresetTokens(@DefaultValue List<String> presetTokens, @DefaultValue("1d") Duration presetValidity) {
}
