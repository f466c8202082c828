package dev.sentinel.audit.checkpoint;

import dev.sentinel.audit.config.AuditConfig;
import dev.sentinel.audit.ingest.AuditMetrics;
import dev.sentinel.audit.tree.Merkle;
import dev.sentinel.audit.tree.TreeReader;
import dev.sentinel.audit.tree.TreeSql;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.file.CopyOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signs a checkpoint of the tree once {@code audit.checkpoint.every-rows} rows were appended
 * since the last one, or every {@code audit.checkpoint.every} when the tree grew. The root is
 * computed under the append lock (so no batch lands in between), stored with the note, and
 * after commit written to {@code audit.checkpoint.mirror-dir} ({@code checkpoint-<size>} and
 * {@code latest}) and logged: a copy outside the database is what exposes a deleted tail.
 */
@ApplicationScoped
public class Checkpoints {

    private static final Logger LOG = Logger.getLogger(Checkpoints.class);

    private final Pool pool;
    private final NoteSigner signer;
    private final AuditConfig config;
    private final AuditMetrics metrics;
    private final Vertx vertx;
    /** The size of the newest checkpoint this instance knows of. */
    private final AtomicLong signedSize = new AtomicLong();

    public Checkpoints(Pool pool, NoteSigner signer, AuditConfig config, AuditMetrics metrics, Vertx vertx) {
        this.pool = pool;
        this.signer = signer;
        this.config = config;
        this.metrics = metrics;
        this.vertx = vertx;
    }

    /** After a batch: signs when enough rows arrived since the last checkpoint. */
    public Uni<Void> signIfDue(long treeSize) {
        if (treeSize - signedSize.get() < config.checkpoint().everyRows()) {
            return Uni.createFrom().voidItem();
        }
        return signIfGrown().replaceWithVoid();
    }

    @Scheduled(every = "${audit.checkpoint.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> everyInterval() {
        return signIfGrown().replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Could not sign an audit checkpoint: %s", e.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    /** Signs a checkpoint of the current tree if it is larger than the newest one; null when not. */
    @WithSpan("audit.checkpoint")
    public Uni<Checkpoint> signIfGrown() {
        return pool.withTransaction(connection -> connection.query(TreeSql.LOCK).execute()
                        .chain(() -> connection.query(TreeSql.SIZE).execute())
                        .map(rows -> rows.iterator().next().getLong(0))
                        .chain(size -> connection.query("select coalesce(max(tree_size), 0) from audit_checkpoint").execute()
                                .map(rows -> rows.iterator().next().getLong(0))
                                .chain(newest -> {
                                    if (size <= newest) {
                                        signedSize.accumulateAndGet(newest, Math::max);
                                        if (size == newest) {
                                            metrics.allSigned();
                                        }
                                        return Uni.createFrom().nullItem();
                                    }
                                    return sign(connection, size);
                                })))
                .call(checkpoint -> checkpoint == null ? Uni.createFrom().voidItem() : mirror(checkpoint))
                .invoke(checkpoint -> {
                    if (checkpoint != null) {
                        signedSize.accumulateAndGet(checkpoint.treeSize(), Math::max);
                        metrics.allSigned();
                        LOG.infof("Audit checkpoint signed: tree size %d, root %s", checkpoint.treeSize(),
                                TreeSql.hex(checkpoint.rootHash()));
                    }
                });
    }

    private Uni<Checkpoint> sign(SqlConnection connection, long size) {
        return TreeReader.compute(connection, source -> Merkle.root(size, source)).chain(root -> {
            Checkpoint checkpoint = new Checkpoint(size, root, signer.sign(size, root));
            return connection.preparedQuery("insert into audit_checkpoint (tree_size, root_hash, note) values ($1, $2, $3)")
                    .execute(Tuple.of(size, io.vertx.core.buffer.Buffer.buffer(root), checkpoint.note()))
                    .replaceWith(checkpoint);
        });
    }

    /** Writes the note beside the database: {@code checkpoint-<size>}, then {@code latest} replaced whole. */
    private Uni<Void> mirror(Checkpoint checkpoint) {
        Path dir = Path.of(config.checkpoint().mirrorDir()).toAbsolutePath();
        String file = dir.resolve("checkpoint-" + checkpoint.treeSize()).toString();
        String scratch = dir.resolve(".latest-" + checkpoint.treeSize()).toString();
        Buffer note = Buffer.buffer(checkpoint.note());
        return vertx.fileSystem().mkdirs(dir.toString())
                .chain(() -> vertx.fileSystem().writeFile(file, note))
                .chain(() -> vertx.fileSystem().writeFile(scratch, note))
                .chain(() -> vertx.fileSystem().move(scratch, dir.resolve("latest").toString(),
                        new CopyOptions().setReplaceExisting(true).setAtomicMove(true)))
                .onFailure().recoverWithUni(e -> {
                    LOG.errorf("Could not mirror audit checkpoint %d to %s: %s", checkpoint.treeSize(), dir, e.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    /** The newest checkpoint written to the mirror directory, or null when there is none (or it cannot be read). */
    public Uni<String> mirroredLatest() {
        String latest = Path.of(config.checkpoint().mirrorDir()).toAbsolutePath().resolve("latest").toString();
        return vertx.fileSystem().exists(latest).chain(exists -> exists
                ? vertx.fileSystem().readFile(latest).map(Buffer::toString)
                : Uni.createFrom().nullItem());
    }
}
