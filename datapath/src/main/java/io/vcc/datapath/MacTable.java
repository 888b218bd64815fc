package io.vcc.datapath;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.StampedLock;

/**
 * The learned MAC addresses of one segment: address to location (a local VTEP or a peer), with ageing.
 *
 * <p>Every frame looks up its destination and refreshes its source, from several event loops at once, so
 * reads must neither lock nor allocate. The table is open addressing over primitive arrays; readers
 * probe under a {@link StampedLock} optimistic stamp and retry under the read lock if a writer got in
 * between; writers (a new address, a moved one, growth, the ageing sweep) take the write lock. A refresh
 * of a known address only stores its timestamp, and at most once per {@link #REFRESH_NANOS}, so that two
 * event loops do not fight over the cache line for every frame.
 */
final class MacTable {

    private static final long OCCUPIED = 1L << 48;
    private static final long REFRESH_NANOS = 500_000_000L;
    private static final int INITIAL_SLOTS = 64;
    private static final VarHandle SEEN = MethodHandles.arrayElementVarHandle(long[].class);

    /** A learned address, for snapshots. */
    record Entry(long mac, Object location, long ageNanos) {
    }

    private final StampedLock lock = new StampedLock();
    private final int limit;
    private final long ageingNanos;
    private long[] keys = new long[INITIAL_SLOTS];
    private Object[] locations = new Object[INITIAL_SLOTS];
    private long[] seen = new long[INITIAL_SLOTS];
    private int size;

    MacTable(int limit, long ageingNanos) {
        this.limit = limit;
        this.ageingNanos = ageingNanos;
    }

    /** The live location of {@code mac}, or null when it is unknown or aged out. */
    Object lookup(long mac, long now) {
        long stamp = lock.tryOptimisticRead();
        Object found = find(mac, now);
        if (lock.validate(stamp)) {
            return found;
        }
        stamp = lock.readLock();
        try {
            return find(mac, now);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private Object find(long mac, long now) {
        long[] k = keys;
        Object[] l = locations;
        long[] s = seen;
        int mask = k.length - 1;
        if (l.length != k.length || s.length != k.length) {
            return null; // torn read of a resize in progress; the caller's validate() fails and retries
        }
        long key = mac | OCCUPIED;
        int i = slot(mac, mask);
        for (int probes = 0; probes <= mask; probes++) {
            long at = k[i];
            if (at == 0) {
                return null;
            }
            if (at == key) {
                long lastSeen = (long) SEEN.getOpaque(s, i);
                return now - lastSeen > ageingNanos ? null : l[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /**
     * Records that {@code mac} was seen at {@code location}.
     *
     * @return false when the table is full and the address could not be learned
     */
    boolean learn(long mac, Object location, long now) {
        long stamp = lock.tryOptimisticRead();
        int at = indexOf(mac);
        if (at >= 0 && locations.length > at && locations[at] == location) {
            long[] s = seen;
            if (at < s.length && lock.validate(stamp)) {
                if (now - (long) SEEN.getOpaque(s, at) > REFRESH_NANOS) {
                    SEEN.setOpaque(s, at, now);
                }
                return true;
            }
        }
        stamp = lock.writeLock();
        try {
            at = indexOf(mac);
            if (at >= 0) {
                locations[at] = location;
                SEEN.setOpaque(seen, at, now);
                return true;
            }
            if (size >= limit) {
                return false;
            }
            if ((size + 1) * 2 > keys.length) {
                rebuild(keys.length * 2, now, false);
            }
            insert(mac, location, now);
            return true;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Drops aged-out addresses; run from a timer, not per frame. */
    int expire(long now) {
        long stamp = lock.writeLock();
        try {
            int before = size;
            int slots = keys.length;
            while (slots > INITIAL_SLOTS && liveCount(now) * 8 < slots) {
                slots /= 2;
            }
            rebuild(slots, now, true);
            return before - size;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    int size() {
        long stamp = lock.readLock();
        try {
            return size;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    List<Entry> entries(long now) {
        long stamp = lock.readLock();
        try {
            List<Entry> entries = new ArrayList<>(size);
            for (int i = 0; i < keys.length; i++) {
                long age = now - (long) SEEN.getOpaque(seen, i);
                if (keys[i] != 0 && age <= ageingNanos) {
                    entries.add(new Entry(keys[i] & ~OCCUPIED, locations[i], age));
                }
            }
            return entries;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private int liveCount(long now) {
        int live = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0 && now - seen[i] <= ageingNanos) {
                live++;
            }
        }
        return live;
    }

    private int indexOf(long mac) {
        long[] k = keys;
        int mask = k.length - 1;
        long key = mac | OCCUPIED;
        int i = slot(mac, mask);
        for (int probes = 0; probes <= mask; probes++) {
            long at = k[i];
            if (at == 0) {
                return -1;
            }
            if (at == key) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void insert(long mac, Object location, long now) {
        int mask = keys.length - 1;
        int i = slot(mac, mask);
        while (keys[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = mac | OCCUPIED;
        locations[i] = location;
        seen[i] = now;
        size++;
    }

    // Builds fresh arrays rather than deleting in place, so that an optimistic reader racing the writer
    // sees either the old arrays or the new ones, never a probe chain with a hole punched in it.
    private void rebuild(int slots, long now, boolean dropAged) {
        long[] oldKeys = keys;
        Object[] oldLocations = locations;
        long[] oldSeen = seen;
        long[] newKeys = new long[slots];
        Object[] newLocations = new Object[slots];
        long[] newSeen = new long[slots];
        int mask = slots - 1;
        int count = 0;
        for (int j = 0; j < oldKeys.length; j++) {
            long key = oldKeys[j];
            long lastSeen = (long) SEEN.getOpaque(oldSeen, j);
            if (key == 0 || (dropAged && now - lastSeen > ageingNanos)) {
                continue;
            }
            int i = slot(key & ~OCCUPIED, mask);
            while (newKeys[i] != 0) {
                i = (i + 1) & mask;
            }
            newKeys[i] = key;
            newLocations[i] = oldLocations[j];
            newSeen[i] = lastSeen;
            count++;
        }
        keys = newKeys;
        locations = newLocations;
        seen = newSeen;
        size = count;
    }

    private static int slot(long mac, int mask) {
        long h = mac * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 40) & mask;
    }
}
