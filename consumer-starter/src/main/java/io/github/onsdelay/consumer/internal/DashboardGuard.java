package io.github.onsdelay.consumer.internal;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Who may see the live page and act on it.
 *
 * <ul>
 * <li>With Spring Security in the application, the page sits behind the application's own security (its login,
 * its session, its CSRF protection) and asks, in addition, for the role: no user is answered 401, a user without
 * the role 403. The role is checked as the servlet request reports it, which Spring Security fills in.</li>
 * <li>Without it, anyone who reaches the path may (the page is then only on when enabled explicitly).</li>
 * <li>Either way an action must carry the header the page sends, which a form on another site cannot.</li>
 * </ul>
 */
public final class DashboardGuard {

    /** The header every action of the page carries. */
    public static final String ACTION_HEADER = "X-Ons-Delay-Action";

    private static final boolean CSRF_TOKENS = ClassUtils.isPresent(
        "org.springframework.security.web.csrf.CsrfToken", DashboardGuard.class.getClassLoader());

    private final @Nullable String role;

    private DashboardGuard(@Nullable String role) {
        this.role = role;
    }

    /** The guard of an application: the role is asked for only where Spring Security filters its requests. */
    public static DashboardGuard of(String role, boolean springSecurity) {
        return new DashboardGuard(springSecurity ? role : null);
    }

    /** Whether the role is asked for. */
    public boolean isRoleRequired() {
        return role != null;
    }

    /** The refusal of a request to see the page or its data, or null when it may. */
    @Nullable ServerResponse refuseView(ServerRequest request) {
        if (role == null) {
            return null;
        }
        HttpServletRequest servlet = request.servletRequest();
        if (servlet.getUserPrincipal() == null) {
            return refusal(HttpStatus.UNAUTHORIZED, "Log in as a user with the role " + role + " to see ons-delay's page");
        }
        if (!servlet.isUserInRole(role)) {
            return refusal(HttpStatus.FORBIDDEN, "The user " + servlet.getUserPrincipal().getName() + " lacks the role "
                + role + " (mqs.ons.dashboard.role) that ons-delay's page asks for");
        }
        return null;
    }

    /** The refusal of an action, or null when it may be done. */
    @Nullable ServerResponse refuseAction(ServerRequest request) {
        ServerResponse refused = refuseView(request);
        if (refused != null) {
            return refused;
        }
        if (request.headers().firstHeader(ACTION_HEADER) == null) {
            return refusal(HttpStatus.FORBIDDEN, "An action of ons-delay's page must carry the header " + ACTION_HEADER);
        }
        return null;
    }

    /**
     * The CSRF token Spring Security issued for this request, as the header name and value the page sends with its
     * actions; null without one.
     */
    @Nullable Csrf csrf(ServerRequest request) {
        if (role == null || !CSRF_TOKENS) {
            return null;
        }
        Object token = request.servletRequest().getAttribute("org.springframework.security.web.csrf.CsrfToken");
        if (token instanceof org.springframework.security.web.csrf.CsrfToken csrf) {
            return new Csrf(csrf.getHeaderName(), csrf.getToken());
        }
        return null;
    }

    /** A CSRF token and the header it travels in. */
    record Csrf(String header, String token) {
    }

    static ServerResponse refusal(HttpStatus status, String message) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("status", status.value(), "message", message));
    }

}
