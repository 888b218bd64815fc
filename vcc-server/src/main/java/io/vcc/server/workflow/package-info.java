/**
 * Durable workflows: an ordered list of idempotent steps, each with a compensation, driven by db-scheduler
 * (one one-time task per step; a step's result and the scheduling of the next step commit together), and
 * the operations API ({@code /api/v1/operations}, server-sent events on {@code /api/v1/events}) that shows
 * them. Generic: transfers, stretch deploys and HA migrations define their steps and reuse the engine.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Workflows")
package io.vcc.server.workflow;
