package io.vcc.server.ha;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Pools {

    private final JdbcClient jdbc;

    Pools(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Pool pool) {
        jdbc.sql("insert into ha_pool (id, node_id, name, created_at) values (?, ?, ?, ?)")
                .params(pool.id(), pool.nodeId(), pool.name(), Timestamp.from(pool.createdAt())).update();
    }

    boolean exists(UUID nodeId, String name) {
        return jdbc.sql("select count(*) from ha_pool where node_id = ? and name = ?").params(nodeId, name)
                .query(Long.class).single() > 0;
    }

    void burstPolicy(UUID id, Integer thresholdPercent) {
        jdbc.sql("update ha_pool set burst_threshold_percent = ? where id = ?").params(thresholdPercent, id).update();
    }

    Optional<Pool> find(UUID id) {
        return jdbc.sql("select * from ha_pool where id = ?").param(id).query(Pools::pool).optional();
    }

    List<Pool> list() {
        return jdbc.sql("select * from ha_pool order by name, id").query(Pools::pool).list();
    }

    private static Pool pool(ResultSet rs, int row) throws SQLException {
        return new Pool(rs.getObject("id", UUID.class), rs.getObject("node_id", UUID.class), rs.getString("name"),
                rs.getTimestamp("created_at").toInstant(), rs.getObject("burst_threshold_percent", Integer.class));
    }
}
