package io.vcc.node.transfer;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.JobState;
import io.vcc.api.transfer.PackageFile;
import io.vcc.api.transfer.TransferJobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The work this node does for transfers, one job per transfer and phase, on its own threads. Kept in
 * memory on purpose: what must survive a restart is on disk and in the checkpoint log, and the server
 * simply asks again, which starts the job anew from there.
 */
@Component
class TransferJobs implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TransferJobs.class);
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(20);

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(named("transfer-worker"));
    final ExecutorService hashers = Executors.newCachedThreadPool(named("transfer-hasher"));

    interface Work {
        void run(Job job) throws Exception;
    }

    /** Starts the job unless it runs or is done; answers its status either way. */
    TransferJobStatus startOrGet(UUID transferId, String phase, Work work) {
        Job job = jobs.compute(key(transferId, phase), (key, existing) -> {
            if (existing != null && existing.state != JobState.FAILED) {
                return existing;
            }
            if (existing != null && !existing.reported) {
                existing.reported = true;
                return existing;
            }
            Job fresh = new Job(transferId, phase);
            fresh.future = workers.submit(() -> execute(fresh, work));
            return fresh;
        });
        return job.status();
    }

    /**
     * The job's status, as {@link #startOrGet} would answer it but starting nothing: none when there is no job, or
     * when it failed and that was already reported once (the next start runs it again).
     */
    Optional<TransferJobStatus> status(UUID transferId, String phase) {
        Job[] found = {null};
        jobs.computeIfPresent(key(transferId, phase), (key, job) -> {
            if (job.state == JobState.FAILED) {
                if (job.reported) {
                    return job;
                }
                job.reported = true;
            }
            found[0] = job;
            return job;
        });
        return Optional.ofNullable(found[0]).map(Job::status);
    }

    /**
     * Waits until the job of the transfer and phase has ended (the signal its worker gives when it stops, done,
     * failed or cancelled) and answers its status, as {@link #status} would; none when there is no such job.
     */
    Optional<TransferJobStatus> await(UUID transferId, String phase) throws InterruptedException {
        Job job = jobs.get(key(transferId, phase));
        if (job == null) {
            return Optional.empty();
        }
        job.ended.await();
        return status(transferId, phase);
    }

    /** Whether a job of the transfer is running here now. */
    boolean active(UUID transferId) {
        return jobs.values().stream().anyMatch(job -> job.transferId.equals(transferId) && job.state == JobState.RUNNING);
    }

    /**
     * Stops the transfer's jobs and waits a while for them to end: one that imports may be about to commit,
     * and the caller must know whether it did.
     */
    void cancel(UUID transferId) {
        List<Job> cancelled = new ArrayList<>();
        jobs.entrySet().removeIf(entry -> {
            if (entry.getValue().transferId.equals(transferId)) {
                entry.getValue().cancel();
                cancelled.add(entry.getValue());
                return true;
            }
            return false;
        });
        for (Job job : cancelled) {
            try {
                if (job.started && !job.ended.await(CANCEL_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    log.warn("Transfer {} {} still runs {} after it was stopped", transferId, job.phase, CANCEL_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void execute(Job job, Work work) {
        // With cancel(): a job cancelled before it started never runs, one that started is waited for.
        job.started = true;
        if (job.cancelled) {
            job.ended.countDown();
            return;
        }
        try {
            work.run(job);
            if (!job.cancelled) {
                job.state = JobState.DONE;
            }
        } catch (Exception e) {
            if (job.cancelled) {
                return;
            }
            job.error = e.getMessage() == null ? e.toString() : e.getMessage();
            job.errorType = e instanceof VccProblemException problem ? problem.type().slug() : ProblemType.TRANSFER_FAILED.slug();
            job.state = JobState.FAILED;
            log.warn("Transfer {} {} failed: {}", job.transferId, job.phase, job.error, e instanceof VccProblemException ? null : e);
        } finally {
            job.ended.countDown();
        }
    }

    @Override
    public void destroy() {
        jobs.values().forEach(Job::cancel);
        workers.shutdownNow();
        hashers.shutdownNow();
    }

    private static String key(UUID transferId, String phase) {
        return transferId + "/" + phase;
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One phase's work and what it reports. */
    static final class Job {
        final UUID transferId;
        final String phase;
        final AtomicLong bytesDone = new AtomicLong();
        final AtomicLong bytesOnWire = new AtomicLong();
        final AtomicInteger chunksResent = new AtomicInteger();
        volatile long bytesTotal;
        volatile JobState state = JobState.RUNNING;
        volatile String error;
        volatile String errorType;
        volatile List<PackageFile> files = List.of();
        volatile String importedId;
        volatile boolean cancelled;
        volatile boolean reported;
        volatile boolean started;
        final CountDownLatch ended = new CountDownLatch(1);
        volatile Future<?> future;

        Job(UUID transferId, String phase) {
            this.transferId = transferId;
            this.phase = phase;
        }

        void cancel() {
            cancelled = true;
            Future<?> running = future;
            if (running != null) {
                running.cancel(true);
            }
        }

        void checkCancelled() {
            if (cancelled || Thread.currentThread().isInterrupted()) {
                throw new VccProblemException(ProblemType.INVALID_STATE, "Transfer " + transferId + " " + phase + " was stopped");
            }
        }

        /** A failure the job retries: it stays RUNNING and shows the reason. */
        void retrying(Exception e) {
            error = "retrying: " + (e.getMessage() == null ? e.toString() : e.getMessage());
            errorType = e instanceof VccProblemException problem ? problem.type().slug() : ProblemType.NODE_UNAVAILABLE.slug();
        }

        void clearError() {
            error = null;
            errorType = null;
        }

        TransferJobStatus status() {
            return new TransferJobStatus(phase, state, bytesDone.get(), bytesTotal, bytesOnWire.get(), chunksResent.get(),
                    error, errorType, files, importedId);
        }
    }
}
