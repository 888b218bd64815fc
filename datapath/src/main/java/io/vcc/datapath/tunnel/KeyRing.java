package io.vcc.datapath.tunnel;

import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys of one node pair as this node holds them: the current key (sends and receives), the previous
 * one (still received, so that a rotation loses nothing while the peer catches up) and optionally a
 * staged next one (received only, so that the server can stage a key on both nodes before either sends
 * with it). Also the pair's send sequence and receive replay window, which belong to the pair, not to a
 * key: the sequence keeps counting across rotations.
 */
public final class KeyRing {

    /** A key ready for the cipher. */
    public record Slot(int id, SecretKeySpec key) {
    }

    private volatile Slot current;
    private volatile Slot previous;
    private volatile Slot staged;
    private final ReplayWindow replayWindow = new ReplayWindow();
    // Seeded from the wall clock (in millionths of a millisecond) so that a restarted sender neither reuses a
    // GCM nonce under a key it used before nor falls below the peer's replay window; it would take a
    // sustained million datagrams per millisecond to catch up with the clock.
    private final AtomicLong sendSequence = new AtomicLong(System.currentTimeMillis() * 1_000_000L);

    /** Makes {@code key} the sending key; the key it replaces is still accepted until the next rotation. */
    public synchronized void install(TunnelKey key) {
        Slot slot = slot(key);
        Slot old = current;
        if (old != null && old.id() == key.id()) {
            if (!old.key().equals(slot.key())) {
                throw new IllegalArgumentException("key id " + key.id() + " is already installed with another secret");
            }
            return;
        }
        if (old != null) {
            previous = old;
        }
        current = slot;
        if (staged != null && staged.id() == key.id()) {
            staged = null;
        }
    }

    /** Accepts {@code key} for receiving without sending with it yet (the first half of a lossless rotation). */
    public synchronized void stage(TunnelKey key) {
        Slot cur = current;
        if (cur != null && cur.id() == key.id()) {
            throw new IllegalArgumentException("key id " + key.id() + " is the current key");
        }
        staged = slot(key);
    }

    /** Stops accepting the previous key once the rotation is complete on both nodes. */
    public synchronized void retirePrevious() {
        previous = null;
    }

    /** Forgets every key of the pair; frames to and from the peer are dropped as NO_KEY until a new install. */
    public synchronized void clear() {
        current = null;
        previous = null;
        staged = null;
    }

    public Slot sending() {
        return current;
    }

    /** The key a received datagram names, or null when this pair holds no key with that id. */
    public Slot receiving(int keyId) {
        Slot slot = current;
        if (slot != null && slot.id() == keyId) {
            return slot;
        }
        slot = previous;
        if (slot != null && slot.id() == keyId) {
            return slot;
        }
        slot = staged;
        if (slot != null && slot.id() == keyId) {
            return slot;
        }
        return null;
    }

    public long nextSequence() {
        return sendSequence.incrementAndGet();
    }

    public ReplayWindow replayWindow() {
        return replayWindow;
    }

    public Integer currentKeyId() {
        Slot slot = current;
        return slot == null ? null : slot.id();
    }

    public Integer previousKeyId() {
        Slot slot = previous;
        return slot == null ? null : slot.id();
    }

    public Integer stagedKeyId() {
        Slot slot = staged;
        return slot == null ? null : slot.id();
    }

    private static Slot slot(TunnelKey key) {
        return new Slot(key.id(), new SecretKeySpec(key.secret(), "AES"));
    }
}
