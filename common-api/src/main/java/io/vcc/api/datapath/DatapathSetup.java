package io.vcc.api.datapath;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** What the server tells a node before it programs segments: its datacenter tag (an 802.1ad VLAN ID). */
public record DatapathSetup(@Min(1) @Max(4094) int datacenterTag) {
}
