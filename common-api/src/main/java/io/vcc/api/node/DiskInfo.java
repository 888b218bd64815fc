package io.vcc.api.node;

public record DiskInfo(String id, int index, long capacityBytes) {
}
