package io.vcc.server.security;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Operator accounts: the tenant module creates a tenant's users through this. */
@Service
@Transactional
public class AccountService implements UserDetailsService {

    private final Accounts accounts;
    private final PasswordEncoder passwordEncoder;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    AccountService(Accounts accounts, PasswordEncoder passwordEncoder, Clock clock, ApplicationEventPublisher events) {
        this.accounts = accounts;
        this.passwordEncoder = passwordEncoder;
        this.clock = clock;
        this.events = events;
    }

    public AccountView createTenantAccount(UUID tenantId, String username, String password, Role role) {
        if (role == Role.ADMIN) {
            throw new VccProblemException(ProblemType.VALIDATION, "A tenant's user can be TENANT_ADMIN or TENANT_USER, not ADMIN");
        }
        if (accounts.existsByUsername(username)) {
            throw new VccProblemException(ProblemType.DUPLICATE, "User name " + username + " is taken");
        }
        return accounts.save(new Account(username, passwordEncoder.encode(password), role, tenantId, clock.instant())).view();
    }

    @Transactional(readOnly = true)
    public List<AccountView> tenantAccounts(UUID tenantId) {
        return accounts.findByTenantIdOrderByUsername(tenantId).stream().map(Account::view).toList();
    }

    public void deleteTenantAccount(UUID tenantId, UUID accountId) {
        Account account = accounts.findByIdAndTenantId(accountId, tenantId)
                .orElseThrow(() -> VccProblemException.notFound("User", accountId));
        accounts.delete(account);
        events.publishEvent(CredentialsRevoked.user(accountId));
    }

    public void deleteAllOfTenant(UUID tenantId) {
        accounts.deleteByTenant(tenantId);
        events.publishEvent(CredentialsRevoked.tenant(tenantId));
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String username) {
        return accounts.findByUsername(username)
                .map(account -> new AccountDetails(account.principal(), account.passwordHash()))
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }
}
