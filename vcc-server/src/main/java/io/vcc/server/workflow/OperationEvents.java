package io.vcc.server.workflow;

import io.vcc.server.security.CredentialCheck;
import io.vcc.server.security.CredentialsRevoked;
import io.vcc.server.security.VccPrincipal;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events of operations: every state or progress change this server records (an
 * {@link OperationChanged} event) is sent to the subscribers who may see the operation (an admin sees all, a
 * tenant its own). A user holds a bounded number of streams, and a stream lasts no longer than the credentials
 * it was opened with.
 */
@Component
@EnableConfigurationProperties(EventStreamProperties.class)
class OperationEvents implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(OperationEvents.class);

    /** How long an ended operation is remembered: far longer than a stale view of it can take to be sent. */
    private static final long ENDED_KEPT_NANOS = Duration.ofMinutes(10).toNanos();

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    /**
     * Operations sent as ended, with when. Views are read and sent on several threads (a step's execution, its
     * compensation, an API call), so one read before the end can reach the stream after it; an operation never
     * leaves its end, so such a view is stale and is dropped.
     */
    private final Map<UUID, Long> ended = new ConcurrentHashMap<>();
    private final Object[] operationLocks = new Object[64];
    private final EventStreamProperties properties;
    private final CredentialCheck credentials;
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-stream-credentials");
        thread.setDaemon(true);
        return thread;
    });

    /** {@code tokenId} is null for a stream opened with a password. */
    private record Subscriber(SseEmitter emitter, UUID userId, UUID scope, UUID tokenId) {
    }

    OperationEvents(EventStreamProperties properties, CredentialCheck credentials) {
        this.properties = properties;
        this.credentials = credentials;
        for (int i = 0; i < operationLocks.length; i++) {
            operationLocks[i] = new Object();
        }
        long period = properties.credentialCheck().toMillis();
        checker.scheduleWithFixedDelay(this::recheckCredentials, period, period, TimeUnit.MILLISECONDS);
        long heartbeat = properties.heartbeat().toMillis();
        checker.scheduleWithFixedDelay(this::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
    }

    /** A new stream for this user, or empty when they already hold as many as allowed. */
    synchronized Optional<SseEmitter> subscribe(VccPrincipal user, UUID tokenId) {
        long open = subscribers.stream().filter(s -> s.userId().equals(user.userId())).count();
        if (open >= properties.maxStreamsPerUser()) {
            return Optional.empty();
        }
        SseEmitter emitter = new SseEmitter(0L);
        Subscriber subscriber = new Subscriber(emitter, user.userId(), user.tenantId(), tokenId);
        subscribers.add(subscriber);
        emitter.onCompletion(() -> subscribers.remove(subscriber));
        emitter.onTimeout(() -> subscribers.remove(subscriber));
        emitter.onError(e -> subscribers.remove(subscriber));
        try {
            emitter.send(SseEmitter.event().comment("subscribed"));
        } catch (IOException e) {
            subscribers.remove(subscriber);
        }
        return Optional.of(emitter);
    }

    int maxStreamsPerUser() {
        return properties.maxStreamsPerUser();
    }

    @EventListener
    void on(OperationChanged changed) {
        UUID tenantId = changed.tenantId();
        OperationView view = changed.operation();
        // Checked and sent under the operation's lock, so that a stale view cannot pass the check before the end is
        // recorded and be sent after it.
        synchronized (operationLocks[Math.floorMod(view.id().hashCode(), operationLocks.length)]) {
            if (view.state().terminal()) {
                ended.put(view.id(), System.nanoTime());
            } else if (ended.containsKey(view.id())) {
                return;
            }
            for (Subscriber subscriber : subscribers) {
                if (subscriber.scope() != null && !subscriber.scope().equals(tenantId)) {
                    continue;
                }
                send(subscriber, SseEmitter.event().name("operation").id(view.id().toString()).data(view, MediaType.APPLICATION_JSON));
            }
        }
    }

    /**
     * A write to a client that left usually succeeds once (into the socket's buffer) and fails the next time: so
     * a stream whose browser left the page is released after at most two heartbeats, also when no operation changes.
     */
    void heartbeat() {
        subscribers.forEach(subscriber -> send(subscriber, SseEmitter.event().comment("heartbeat")));
        long now = System.nanoTime();
        ended.values().removeIf(at -> now - at > ENDED_KEPT_NANOS);
    }

    private void send(Subscriber subscriber, SseEmitter.SseEventBuilder event) {
        try {
            subscriber.emitter().send(event);
        } catch (IOException | IllegalStateException e) {
            subscribers.remove(subscriber);
        }
    }

    @EventListener
    void on(CredentialsRevoked revoked) {
        for (Subscriber subscriber : subscribers) {
            if (revoked.ends(subscriber.userId(), subscriber.scope(), subscriber.tokenId())) {
                end(subscriber);
            }
        }
    }

    /** Catches what no event announces: a token that expired. */
    void recheckCredentials() {
        for (Subscriber subscriber : subscribers) {
            try {
                if (!credentials.stillValid(subscriber.userId(), subscriber.tokenId())) {
                    end(subscriber);
                }
            } catch (RuntimeException e) {
                log.warn("Could not check an event stream's credentials: {}", e.toString());
            }
        }
    }

    private void end(Subscriber subscriber) {
        subscribers.remove(subscriber);
        try {
            subscriber.emitter().complete();
        } catch (IllegalStateException alreadyDone) {
            // the stream ended on its own meanwhile
        }
    }

    /**
     * A stream is an async request that ends only when we end it: left open, it holds the web server's graceful
     * shutdown for its whole timeout (a client that went away unnoticed counts too, as nothing is written to it).
     */
    @EventListener(ContextClosedEvent.class)
    void endAll() {
        log.info("Ending {} event streams: the server is shutting down", subscribers.size());
        subscribers.forEach(this::end);
    }

    @Override
    public void destroy() {
        checker.shutdownNow();
    }
}
