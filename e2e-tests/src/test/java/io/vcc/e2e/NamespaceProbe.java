package io.vcc.e2e;

import io.vcc.datapath.VmProbe;
import java.io.IOException;

/**
 * The datapath's {@link VmProbe} under the name {@code StretchNetnsE2ETest} still uses; nothing of its own.
 * That test was being changed elsewhere when the probe moved to the datapath's test-jar: once it says
 * {@code VmProbe}, delete this class.
 */
public final class NamespaceProbe implements AutoCloseable {

    private final VmProbe probe;

    private NamespaceProbe(VmProbe probe) {
        this.probe = probe;
    }

    public static NamespaceProbe start(String namespace) throws IOException {
        return new NamespaceProbe(VmProbe.start(namespace));
    }

    public long echo(String address, int waitMillis) {
        return probe.echo(address, waitMillis);
    }

    public boolean reaches(String address) {
        return probe.reaches(address);
    }

    @Override
    public void close() {
        probe.close();
    }
}
