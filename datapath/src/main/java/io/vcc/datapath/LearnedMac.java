package io.vcc.datapath;

import java.time.Duration;

/**
 * A MAC address a segment has learned.
 *
 * @param location {@code vtep <address>:<port>} or {@code peer <node id>}
 * @param age      time since a frame from it was last seen (refreshed at most every half second)
 */
public record LearnedMac(String mac, String location, Duration age) {
}
