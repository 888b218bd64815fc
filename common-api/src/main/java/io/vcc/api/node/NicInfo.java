package io.vcc.api.node;

public record NicInfo(int index, String network, String mac, String ip) {
}
