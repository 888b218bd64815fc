package io.vcc.server.workflow;

import java.util.UUID;

/** An operation changed (started, moved, asked to stop, ended): an application event, after the change is committed. */
public record OperationChanged(UUID tenantId, OperationView operation) {
}
