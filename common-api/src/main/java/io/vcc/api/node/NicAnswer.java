package io.vcc.api.node;

/**
 * Whether a VM's NIC answers on its IP on its segment right now, and how the node found out ({@code probe}: e.g. a
 * TCP connect from inside the segment, which a refusal answers as well as an accept; or the simulation's record).
 */
public record NicAnswer(boolean answers, String probe) {
}
