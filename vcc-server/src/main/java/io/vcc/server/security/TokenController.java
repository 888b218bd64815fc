package io.vcc.server.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vcc.api.problem.VccProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** API tokens a user creates for their own scripts: shown once, stored hashed, expiring, revocable. */
@RestController
@RequestMapping("/api/v1/tokens")
@Transactional
class TokenController {

    private final ApiTokens tokens;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    TokenController(ApiTokens tokens, Clock clock, ApplicationEventPublisher events) {
        this.tokens = tokens;
        this.clock = clock;
        this.events = events;
    }

    record CreateToken(@NotBlank @Size(max = 100) String name, @Min(1) @Max(3650) Integer expiresInDays) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CreatedToken(UUID id, String name, String token, Instant expiresAt) {
    }

    @PostMapping
    ResponseEntity<CreatedToken> create(@Valid @RequestBody CreateToken request) {
        VccPrincipal user = CurrentUser.get();
        String secret = SecretTokens.generate("vcc_");
        Instant now = clock.instant();
        Instant expiresAt = request.expiresInDays() == null ? null : now.plus(Duration.ofDays(request.expiresInDays()));
        ApiToken token = tokens.save(new ApiToken(user.userId(), request.name(), SecretTokens.hash(secret), now, expiresAt));
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + token.id()))
                .body(new CreatedToken(token.id(), request.name(), secret, expiresAt));
    }

    @GetMapping
    @Transactional(readOnly = true)
    List<TokenView> mine() {
        return tokens.findByUserIdOrderByCreatedAtDesc(CurrentUser.get().userId()).stream().map(ApiToken::view).toList();
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable UUID id) {
        UUID userId = CurrentUser.get().userId();
        tokens.findByIdAndUserId(id, userId)
                .orElseThrow(() -> VccProblemException.notFound("Token", id))
                .revoke(clock.instant());
        events.publishEvent(CredentialsRevoked.token(userId, id));
    }
}
