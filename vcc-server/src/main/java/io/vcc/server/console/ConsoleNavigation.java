package io.vcc.server.console;

import java.util.List;

/**
 * The console's menu. Pages of features still being built (stretch deploys, HA failovers) are added here as
 * one line each when they exist.
 */
final class ConsoleNavigation {

    record Entry(String label, String path, boolean adminOnly) {
    }

    static final List<Entry> ENTRIES = List.of(
            new Entry("Dashboard", "/console", false),
            new Entry("VDCs", "/console/vdcs", false),
            new Entry("Transfers", "/console/transfers", false),
            new Entry("Networks", "/console/networks", false),
            new Entry("Tenants", "/console/tenants", true),
            new Entry("Node registrations", "/console/registrations", true));

    private ConsoleNavigation() {
    }
}
