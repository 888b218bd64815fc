package io.vcc.datapath.frame;

/**
 * One VLAN tag: its TPID and its TCI split into priority (PCP), drop eligibility (DEI) and VLAN ID.
 * On the hot path tags travel as one {@code int} "word" (TPID in the high half, TCI in the low half),
 * which is exactly how they sit on the wire; this record is for building, tests and snapshots.
 */
public record Tag(int tpid, int pcp, boolean dei, int vid) {

    /** IEEE 802.1Q customer VLAN tag (C-tag). */
    public static final int TPID_8021Q = 0x8100;
    /** IEEE 802.1ad service VLAN tag (S-tag). */
    public static final int TPID_8021AD = 0x88A8;

    public Tag {
        if (tpid != TPID_8021Q && tpid != TPID_8021AD) {
            throw new IllegalArgumentException("TPID must be 0x8100 or 0x88A8, was 0x" + Integer.toHexString(tpid));
        }
        if (pcp < 0 || pcp > 7) {
            throw new IllegalArgumentException("PCP is 0..7, was " + pcp);
        }
        if (vid < 0 || vid > 0xFFF) {
            throw new IllegalArgumentException("VID is 12 bits, was " + vid);
        }
    }

    public static Tag dot1q(int vid) {
        return new Tag(TPID_8021Q, 0, false, vid);
    }

    public static Tag dot1ad(int vid) {
        return new Tag(TPID_8021AD, 0, false, vid);
    }

    public static boolean isTagTpid(int tpid) {
        return tpid == TPID_8021Q || tpid == TPID_8021AD;
    }

    public int tci() {
        return (pcp << 13) | (dei ? 0x1000 : 0) | vid;
    }

    public int word() {
        return (tpid << 16) | tci();
    }

    public static int word(int tpid, int vid) {
        return (tpid << 16) | (vid & 0xFFF);
    }

    public static Tag fromWord(int word) {
        int tci = word & 0xFFFF;
        return new Tag(word >>> 16, tci >>> 13, (tci & 0x1000) != 0, tci & 0xFFF);
    }

    public static int vidOf(int word) {
        return word & 0xFFF;
    }

    public static int tpidOf(int word) {
        return word >>> 16;
    }

    @Override
    public String toString() {
        return String.format("%s(vid=%d, pcp=%d%s)", tpid == TPID_8021Q ? "802.1Q" : "802.1ad", vid, pcp, dei ? ", dei" : "");
    }
}
