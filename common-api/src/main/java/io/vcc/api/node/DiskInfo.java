package io.vcc.api.node;

/**
 * A VM's disk.
 *
 * @param format the format of its image as an OVF {@code ovf:format} URI (what a package it came from declared,
 *               e.g. VMDK streamOptimized); {@code null} for a raw image
 */
public record DiskInfo(String id, int index, long capacityBytes, String format) {
}
