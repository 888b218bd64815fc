-- One PostgreSQL server, one database per service: no service reads another's tables.
CREATE DATABASE vcc_server;
CREATE DATABASE vcc_cloud_a;
CREATE DATABASE vcc_cloud_b;
CREATE DATABASE vcc_cloud_b_sp;
