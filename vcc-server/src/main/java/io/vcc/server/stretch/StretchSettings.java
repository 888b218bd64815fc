package io.vcc.server.stretch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Stretch deploy settings ({@code vcc.stretch.*}).
 *
 * @param chunkSize    what a checkpoint of the copy covers
 * @param nodeDeadline how long a step may make no progress before the run fails and is compensated
 * @param pollInterval how often the server asks the target how the import goes
 * @param answerWait   how long the cut-over waits for the target VM to answer before it puts the source back
 * @param cutOverWait  how long the cut-over waits for a node that stopped answering mid-way (killed, restarting)
 *                     before it puts the source back; below {@code nodeDeadline}, which would end it undone
 */
@ConfigurationProperties("vcc.stretch")
record StretchSettings(@DefaultValue("8MB") DataSize chunkSize,
                       @DefaultValue("10m") Duration nodeDeadline, @DefaultValue("200ms") Duration pollInterval,
                       @DefaultValue("30s") Duration answerWait, @DefaultValue("2m") Duration cutOverWait) {

    int chunkBytes() {
        return Math.toIntExact(chunkSize.toBytes());
    }
}
