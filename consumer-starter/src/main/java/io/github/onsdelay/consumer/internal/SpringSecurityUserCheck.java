package io.github.onsdelay.consumer.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfToken;

/**
 * The live page's user check with Spring Security: the request's authentication (as the application's filter chain
 * left it) must not be anonymous, and must have the role, or the exact authority when one is configured, the
 * application's {@link RoleHierarchy} included. Loaded only when Spring Security filters the application's requests.
 */
final class SpringSecurityUserCheck implements DashboardGuard.UserCheck {

    private final AuthorityAuthorizationManager<HttpServletRequest> manager;

    private final String required;

    private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

    private SpringSecurityUserCheck(AuthorityAuthorizationManager<HttpServletRequest> manager, String required) {
        this.manager = manager;
        this.required = required;
    }

    /** The guard asking for {@code authority} when given, else for {@code role}. */
    static DashboardGuard guard(String role, @Nullable String authority, BeanFactory beans) {
        AuthorityAuthorizationManager<HttpServletRequest> manager = authority != null
            ? AuthorityAuthorizationManager.hasAuthority(authority) : AuthorityAuthorizationManager.hasRole(role);
        beans.getBeanProvider(RoleHierarchy.class).ifUnique(manager::setRoleHierarchy);
        String required = authority != null ? "the authority " + authority + " (mqs.ons.dashboard.authority)"
            : "the role " + role + " (mqs.ons.dashboard.role)";
        return DashboardGuard.of(new SpringSecurityUserCheck(manager, required));
    }

    @Override
    public Outcome check(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated() || trust.isAnonymous(authentication)) {
            return Outcome.NO_USER;
        }
        return manager.authorize(() -> authentication, request).isGranted() ? Outcome.GRANTED : Outcome.DENIED;
    }

    @Override
    public String required() {
        return required;
    }

    @Override
    public String userName(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "(none)" : authentication.getName();
    }

    @Override
    public DashboardGuard.@Nullable Csrf csrf(HttpServletRequest request) {
        Object token = request.getAttribute(CsrfToken.class.getName());
        return token instanceof CsrfToken csrf ? new DashboardGuard.Csrf(csrf.getHeaderName(), csrf.getToken()) : null;
    }

}
