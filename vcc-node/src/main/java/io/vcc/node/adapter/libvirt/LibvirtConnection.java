package io.vcc.node.adapter.libvirt;

import org.libvirt.Connect;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;

/**
 * The node's one connection to libvirt, open for the node's life. One connection is enough (libvirt
 * connections are thread-safe) and on {@code test:///default} it is what keeps the driver's in-memory
 * state alive.
 */
final class LibvirtConnection implements AutoCloseable {

    /**
     * libvirt prints every error to stderr unless a handler is set; they reach the node as exceptions
     * anyway. Held in a field: JNA drops a callback that Java no longer references.
     */
    private static final Libvirt.VirErrorCallback QUIET = (userData, error) -> { };

    private final String uri;
    private final Connect connect;

    private LibvirtConnection(String uri, Connect connect) {
        this.uri = uri;
        this.connect = connect;
    }

    /**
     * Opens {@code uri}. Fails with a message that says what to install when libvirt's C library cannot be
     * loaded: JNA finds {@code libvirt.so.0} on the system's library path without a development symlink.
     */
    static LibvirtConnection open(String uri) {
        try {
            Library.getVersion();
            Connect.setErrorCallback(QUIET);
            return new LibvirtConnection(uri, new Connect(uri));
        } catch (LinkageError e) {
            throw new IllegalStateException("libvirt's C library (libvirt.so.0) cannot be loaded: install it "
                    + "(Debian/Ubuntu: apt-get install libvirt0) or use vcc.adapters.hypervisor=sim", e);
        } catch (LibvirtException e) {
            throw new IllegalStateException("Cannot connect to libvirt at " + uri + ": " + e.getMessage(), e);
        }
    }

    /** Whether libvirt's C library loads in this JVM; for tests that need it. */
    static boolean available() {
        try {
            Library.getVersion();
            return true;
        } catch (LinkageError | LibvirtException e) {
            return false;
        }
    }

    String uri() {
        return uri;
    }

    Connect connect() {
        return connect;
    }

    /** The driver's name as libvirt reports it, e.g. {@code Test} or {@code QEMU}. */
    String driver() throws LibvirtException {
        return connect.getType();
    }

    @Override
    public void close() {
        try {
            connect.close();
        } catch (LibvirtException e) {
            // Closing at shutdown: nothing left to do with a connection that will not close.
        }
    }
}
