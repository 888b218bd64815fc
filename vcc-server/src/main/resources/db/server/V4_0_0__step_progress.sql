-- What each step moved, so a finished operation still tells how many bytes its export, transfer and
-- verify handled (the run's own counters follow only the step that is running).
alter table workflow_step add column bytes_done bigint not null default 0;
alter table workflow_step add column bytes_total bigint not null default 0;
