package io.vcc.datapath;

/** One segment in a {@link DatapathSnapshot}: how it is programmed, what it counted, how many MACs it knows. */
public record SegmentView(Segment segment, SegmentStats stats, int learnedMacs) {
}
