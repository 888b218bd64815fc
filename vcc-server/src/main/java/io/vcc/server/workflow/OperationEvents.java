package io.vcc.server.workflow;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events of operations: every state or progress change this server records (an
 * {@link OperationChanged} event) is sent to the subscribers who may see the operation (an admin sees all, a
 * tenant its own).
 */
@Component
class OperationEvents {

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    private record Subscriber(SseEmitter emitter, UUID scope) {
    }

    SseEmitter subscribe(UUID scope) {
        SseEmitter emitter = new SseEmitter(0L);
        Subscriber subscriber = new Subscriber(emitter, scope);
        subscribers.add(subscriber);
        emitter.onCompletion(() -> subscribers.remove(subscriber));
        emitter.onTimeout(() -> subscribers.remove(subscriber));
        emitter.onError(e -> subscribers.remove(subscriber));
        try {
            emitter.send(SseEmitter.event().comment("subscribed"));
        } catch (IOException e) {
            subscribers.remove(subscriber);
        }
        return emitter;
    }

    @EventListener
    void on(OperationChanged changed) {
        UUID tenantId = changed.tenantId();
        OperationView view = changed.operation();
        for (Subscriber subscriber : subscribers) {
            if (subscriber.scope() != null && !subscriber.scope().equals(tenantId)) {
                continue;
            }
            try {
                subscriber.emitter().send(SseEmitter.event().name("operation").id(view.id().toString())
                        .data(view, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException e) {
                subscribers.remove(subscriber);
            }
        }
    }
}
