package io.vcc.node.upload;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.transfer.PackageKind;
import io.vcc.api.transfer.PackageUploadFile;
import io.vcc.api.transfer.PackageUploadState;
import io.vcc.api.transfer.PackageUploadStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The uploads of packages into this node's VDCs, and the files of those that are OVF descriptors. Every change of state is conditional on the state it
 * leaves, so two requests racing for one upload cannot both move it.
 */
@Component
class PackageUploads {

    record Upload(UUID id, String vdcId, String name, boolean keepMacs, PackageKind kind, long length, long offset,
                  PackageUploadState state, String importedId, String problemType, String problemDetail,
                  Instant createdAt, Instant updatedAt, String descriptorName, String deploymentOption,
                  String unsignedAllowedBy, Boolean verified) {

        boolean ovf() {
            return descriptorName != null;
        }

        boolean complete() {
            return offset == length;
        }
    }

    /** A file of an OVF upload; {@code length} is null until its upload is created. */
    record File(String name, Long declaredLength, Long length, long offset) {

        PackageUploadFile view() {
            return new PackageUploadFile(name, length, offset);
        }
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    PackageUploads(JdbcClient jdbc, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    Upload create(UUID id, String vdcId, String name, boolean keepMacs, PackageKind kind, long length, String descriptorName) {
        Timestamp now = now();
        jdbc.sql("""
                        insert into package_upload (id, vdc_id, name, keep_macs, kind, length, committed_offset, state, created_at,
                                                    updated_at, descriptor_name)
                        values (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)""")
                .params(id, vdcId, name, keepMacs, kind.name(), length, PackageUploadState.RECEIVING.name(), now, now, descriptorName)
                .update();
        return find(id).orElseThrow();
    }

    /** Records how the package is to be read: the deployment option asked for and who allowed it unsigned, if anyone. */
    void readOptions(UUID id, String deploymentOption, String unsignedAllowedBy) {
        jdbc.sql("update package_upload set deployment_option = ?, unsigned_allowed_by = ? where id = ?")
                .params(deploymentOption, unsignedAllowedBy, id).update();
    }

    PackageUploadStatus status(Upload upload) {
        return new PackageUploadStatus(upload.id().toString(), upload.vdcId(), upload.name(), upload.kind(), upload.state(),
                upload.offset(), upload.length(), upload.importedId(), upload.problemType(), upload.problemDetail(),
                upload.createdAt(), upload.updatedAt(), upload.descriptorName(),
                upload.ovf() ? files(upload.id()).stream().map(File::view).toList() : List.of(),
                upload.deploymentOption(), upload.verified(), upload.unsignedAllowedBy());
    }

    List<File> files(UUID id) {
        return jdbc.sql("select * from package_upload_file where upload_id = ? order by name").param(id)
                .query(PackageUploads::fileRow).list();
    }

    Optional<File> file(UUID id, String name) {
        return jdbc.sql("select * from package_upload_file where upload_id = ? and name = ?").params(id, name)
                .query(PackageUploads::fileRow).optional();
    }

    /** Records a file as expected, with the length the descriptor declares for it (or null); once. */
    void expect(UUID id, String name, Long declaredLength) {
        jdbc.sql("""
                        insert into package_upload_file (upload_id, name, declared_length) values (?, ?, ?)
                        on conflict (upload_id, name) do nothing""")
                .params(id, name, declaredLength).update();
    }

    /** Gives a file its length, adding it when it was not expected (the certificate); only while receiving. */
    void createFile(UUID id, String name, long length) {
        jdbc.sql("""
                        insert into package_upload_file (upload_id, name, length)
                        select id, ?, ? from package_upload where id = ? and state = ?
                        on conflict (upload_id, name) do update set length = excluded.length
                        where package_upload_file.length is null""")
                .params(name, length, id, PackageUploadState.RECEIVING.name()).update();
        touch(id);
    }

    /** Moves a file's committed offset from {@code from} to {@code to}, only while receiving; the new offset. */
    long commitFile(UUID id, String name, long from, long to) {
        jdbc.sql("""
                        update package_upload_file set committed_offset = ?
                        where upload_id = ? and name = ? and committed_offset = ?
                          and exists (select 1 from package_upload where id = ? and state = ?)""")
                .params(to, id, name, from, id, PackageUploadState.RECEIVING.name()).update();
        touch(id);
        return file(id, name).map(File::offset).orElse(from);
    }

    private void touch(UUID id) {
        jdbc.sql("update package_upload set updated_at = ? where id = ?").params(now(), id).update();
    }

    Optional<Upload> find(UUID id) {
        return jdbc.sql("select * from package_upload where id = ?").param(id).query(PackageUploads::row).optional();
    }

    /** The upload when it belongs to {@code vdcId}; one of another VDC is as absent as a missing one. */
    Optional<Upload> find(UUID id, String vdcId) {
        return find(id).filter(upload -> upload.vdcId().equals(vdcId));
    }

    List<Upload> inState(PackageUploadState state) {
        return jdbc.sql("select * from package_upload where state = ?").param(state.name()).query(PackageUploads::row).list();
    }

    /** Uploads still receiving that got no byte since {@code before}. */
    List<Upload> receivingUntouchedSince(Instant before) {
        return jdbc.sql("select * from package_upload where state = ? and updated_at < ?")
                .params(PackageUploadState.RECEIVING.name(), Timestamp.from(before)).query(PackageUploads::row).list();
    }

    /** Moves the committed offset from {@code from} to {@code to}, only while receiving; the new offset. */
    long commit(UUID id, long from, long to) {
        jdbc.sql("""
                        update package_upload set committed_offset = ?, updated_at = ?
                        where id = ? and committed_offset = ? and state = ?""")
                .params(to, now(), id, from, PackageUploadState.RECEIVING.name()).update();
        return find(id).map(Upload::offset).orElse(from);
    }

    boolean move(UUID id, PackageUploadState from, PackageUploadState to) {
        return jdbc.sql("update package_upload set state = ?, updated_at = ? where id = ? and state = ?")
                .params(to.name(), now(), id, from.name()).update() == 1;
    }

    /**
     * Records the imported VM, the deployment option it was imported with and whether a manifest vouched for it;
     * called in the transaction that creates it.
     */
    void succeeded(UUID id, String importedId, String deploymentOption, boolean verified) {
        jdbc.sql("""
                        update package_upload set state = ?, imported_id = ?, deployment_option = ?, verified = ?,
                                                  updated_at = ?
                        where id = ?""")
                .params(PackageUploadState.SUCCEEDED.name(), importedId, deploymentOption, verified, now(), id).update();
    }

    void failed(UUID id, ProblemType type, String detail) {
        String bounded = detail == null ? null : detail.length() > 2000 ? detail.substring(0, 1997) + "..." : detail;
        jdbc.sql("update package_upload set state = ?, problem_type = ?, problem_detail = ?, updated_at = ? where id = ? and state <> ?")
                .params(PackageUploadState.FAILED.name(), type.uri().toString(), bounded, now(), id,
                        PackageUploadState.SUCCEEDED.name()).update();
    }

    void delete(UUID id) {
        jdbc.sql("delete from package_upload where id = ?").param(id).update();
    }

    private Timestamp now() {
        return Timestamp.from(Instant.now(clock));
    }

    private static File fileRow(ResultSet rs, int row) throws SQLException {
        return new File(rs.getString("name"), (Long) rs.getObject("declared_length"), (Long) rs.getObject("length"),
                rs.getLong("committed_offset"));
    }

    private static Upload row(ResultSet rs, int row) throws SQLException {
        return new Upload(rs.getObject("id", UUID.class), rs.getString("vdc_id"), rs.getString("name"),
                rs.getBoolean("keep_macs"), PackageKind.valueOf(rs.getString("kind")), rs.getLong("length"), rs.getLong("committed_offset"),
                PackageUploadState.valueOf(rs.getString("state")), rs.getString("imported_id"), rs.getString("problem_type"),
                rs.getString("problem_detail"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), rs.getString("descriptor_name"), rs.getString("deployment_option"),
                rs.getString("unsigned_allowed_by"), (Boolean) rs.getObject("verified"));
    }
}
