package io.vcc.server.tenant;

import io.vcc.server.security.AccountService;
import io.vcc.server.security.AccountView;
import io.vcc.server.security.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/tenants")
class TenantController {

    private final TenantDirectory tenants;
    private final AccountService accounts;

    TenantController(TenantDirectory tenants, AccountService accounts) {
        this.tenants = tenants;
        this.accounts = accounts;
    }

    record CreateTenant(
            @NotBlank @Size(max = 63) @Pattern(regexp = "[a-z0-9][a-z0-9-]*", message = "lower-case letters, digits and dashes") String name,
            @Size(max = 200) String displayName) {
    }

    record CreateUser(
            @NotBlank @Size(min = 3, max = 63) @Pattern(regexp = "[a-z0-9][a-z0-9._-]*", message = "lower-case letters, digits, dots, dashes and underscores") String username,
            @NotBlank @Size(min = 12, max = 200, message = "at least 12 characters") String password,
            @NotNull Role role) {
    }

    /** {@code networks}: how many layer-2 networks the tenant may have; {@code null} for the server's default. */
    record NetworkQuota(@Min(0) @Max(4094) Integer networks) {
    }

    @PostMapping
    @PreAuthorize("hasRole('ADMIN')")
    ResponseEntity<TenantView> create(@Valid @RequestBody CreateTenant request) {
        TenantView tenant = tenants.create(request.name(), request.displayName());
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenant.id())).body(tenant);
    }

    @GetMapping
    List<TenantView> list() {
        return tenants.allVisible();
    }

    @GetMapping("/{id}")
    TenantView get(@PathVariable UUID id) {
        return tenants.visible(id);
    }

    /** Admins only: a tenant admin must not raise its own share of the system-wide tag spaces. */
    @PutMapping("/{id}/network-quota")
    @PreAuthorize("hasRole('ADMIN')")
    TenantView limitNetworks(@PathVariable UUID id, @Valid @RequestBody NetworkQuota request) {
        return tenants.limitNetworks(id, request.networks());
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id) {
        tenants.delete(id);
    }

    @PostMapping("/{id}/users")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<AccountView> createUser(@PathVariable UUID id, @Valid @RequestBody CreateUser request) {
        TenantView tenant = tenants.visible(id);
        AccountView account = accounts.createTenantAccount(tenant.id(), request.username(), request.password(), request.role());
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + id + "/users/" + account.id())).body(account);
    }

    @GetMapping("/{id}/users")
    List<AccountView> users(@PathVariable UUID id) {
        return accounts.tenantAccounts(tenants.visible(id).id());
    }

    @DeleteMapping("/{id}/users/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    void deleteUser(@PathVariable UUID id, @PathVariable UUID userId) {
        TenantView tenant = tenants.visible(id);
        accounts.deleteTenantAccount(tenant.id(), userId);
    }
}
