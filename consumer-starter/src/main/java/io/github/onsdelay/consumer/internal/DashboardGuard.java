package io.github.onsdelay.consumer.internal;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Who may see the live page and act on it.
 *
 * <ul>
 * <li>With Spring Security in the application, the page sits behind the application's own security (its login,
 * its session, its CSRF protection), and a {@link UserCheck} asks in addition for the role or authority: no user is
 * answered 401, a user without it 403.</li>
 * <li>Without it, anyone who reaches the path may (the page is then only on when enabled explicitly).</li>
 * <li>Either way an action must carry the header the page sends, which a form on another site cannot.</li>
 * </ul>
 */
public final class DashboardGuard {

    /** The header every action of the page carries. */
    public static final String ACTION_HEADER = "X-Ons-Delay-Action";

    private final @Nullable UserCheck users;

    private DashboardGuard(@Nullable UserCheck users) {
        this.users = users;
    }

    /** The guard of an application without Spring Security: views are open, actions need the page's header. */
    public static DashboardGuard open() {
        return new DashboardGuard(null);
    }

    /** The guard of an application with Spring Security. */
    public static DashboardGuard of(UserCheck users) {
        return new DashboardGuard(users);
    }

    /** Whether a user is checked. */
    public boolean checksUsers() {
        return users != null;
    }

    /** The refusal of a request to see the page or its data, or null when it may. */
    @Nullable ServerResponse refuseView(ServerRequest request) {
        if (users == null) {
            return null;
        }
        HttpServletRequest servlet = request.servletRequest();
        return switch (users.check(servlet)) {
            case GRANTED -> null;
            case NO_USER -> refusal(HttpStatus.UNAUTHORIZED, "Log in as a user with " + users.required()
                + " to see ons-delay's page");
            case DENIED -> refusal(HttpStatus.FORBIDDEN, "The user " + users.userName(servlet) + " lacks "
                + users.required() + " that ons-delay's page asks for");
        };
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

    /** The CSRF token Spring Security issued for this request, and the header it travels in; null without one. */
    @Nullable Csrf csrf(ServerRequest request) {
        return users == null ? null : users.csrf(request.servletRequest());
    }

    static ServerResponse refusal(HttpStatus status, String message) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("status", status.value(), "message", message));
    }

    /** A CSRF token and the header it travels in. */
    public record Csrf(String header, String token) {
    }

    /** What the application's security says of a request's user. */
    public interface UserCheck {

        /** Whether a user is there, and has what the page asks for. */
        Outcome check(HttpServletRequest request);

        /** What the page asks for, in words: "the role ONS_DELAY_ADMIN (mqs.ons.dashboard.role)". */
        String required();

        /** The user's name, for a refusal. */
        String userName(HttpServletRequest request);

        /** The request's CSRF token, or null. */
        @Nullable Csrf csrf(HttpServletRequest request);

        /** What a check found. */
        enum Outcome {
            GRANTED, NO_USER, DENIED
        }

    }

}
