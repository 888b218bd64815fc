/**
 * Durable workflows: an ordered list of typed, idempotent steps, each with its compensation beside it, driven by
 * db-scheduler (one one-time task per step; a step's result and the scheduling of the next step commit together),
 * and the operations API ({@code /api/v1/operations}, server-sent events on {@code /api/v1/events}) that shows
 * them. Generic: transfers, stretch deploys and HA migrations define their steps and reuse the engine.
 * <p>
 * {@link io.vcc.server.workflow.Workflows} is the API; {@code WorkflowEngine} executes steps and compensations,
 * {@code WorkflowStore} keeps runs and steps, {@code Admission} decides which queued run starts, {@code Progress}
 * keeps bytes, rate and ETA; changes go out as {@link io.vcc.server.workflow.OperationChanged} events, and to the
 * other server replicas on the same database through {@code OperationNotifications} (PostgreSQL LISTEN/NOTIFY).
 * Any number of replicas run steps: db-scheduler picks each step on one of them, named by {@link io.vcc.server.workflow.Replica}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Workflows")
package io.vcc.server.workflow;
