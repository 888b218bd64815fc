package io.vcc.server.console;

import java.util.List;

/**
 * The console's menu, a line per page.
 */
final class ConsoleNavigation {

    record Entry(String label, String path, boolean adminOnly) {
    }

    static final List<Entry> ENTRIES = List.of(
            new Entry("Dashboard", "/console", false),
            new Entry("VDCs", "/console/vdcs", false),
            new Entry("Transfers", "/console/transfers", false),
            new Entry("Stretch deploys", "/console/stretch-deploys", false),
            new Entry("HA", "/console/ha", false),
            new Entry("Networks", "/console/networks", false),
            new Entry("Tenants", "/console/tenants", true),
            new Entry("Node registrations", "/console/registrations", true));

    private ConsoleNavigation() {
    }
}
