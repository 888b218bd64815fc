package io.vcc.api.node;

public record NetworkInfo(String id, String vdcId, String name, String cidr, String gateway) {
}
