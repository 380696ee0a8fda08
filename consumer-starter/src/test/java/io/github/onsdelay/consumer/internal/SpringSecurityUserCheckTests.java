package io.github.onsdelay.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/** What the page asks of a user under Spring Security: the role or authority, the application's hierarchy too. */
class SpringSecurityUserCheckTests {

    private final DefaultListableBeanFactory beans = new DefaultListableBeanFactory();

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    private static void user(String... authorities) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated("ana",
            "n/a", AuthorityUtils.createAuthorityList(authorities)));
    }

    private static int status(DashboardGuard guard) {
        ServerResponse refused = guard.refuseView(ServerRequest.create(new MockHttpServletRequest(), List.of()));
        return refused == null ? 200 : refused.statusCode().value();
    }

    @Test
    void theRoleIsAskedForAndNoUserIs401() {
        DashboardGuard guard = SpringSecurityUserCheck.guard("ONS_DELAY_ADMIN", null, beans);
        assertThat(status(guard)).isEqualTo(401);
        SecurityContextHolder.getContext().setAuthentication(new AnonymousAuthenticationToken("key", "anonymous",
            AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
        assertThat(status(guard)).isEqualTo(401);
        user("ROLE_VIEWER");
        assertThat(status(guard)).isEqualTo(403);
        user("ROLE_ONS_DELAY_ADMIN");
        assertThat(status(guard)).isEqualTo(200);
    }

    @Test
    void theApplicationsRoleHierarchyCounts() {
        beans.registerSingleton("roles", RoleHierarchyImpl.fromHierarchy("ROLE_ADMIN > ROLE_ONS_DELAY_ADMIN"));
        DashboardGuard guard = SpringSecurityUserCheck.guard("ONS_DELAY_ADMIN", null, beans);
        user("ROLE_ADMIN");
        assertThat(status(guard)).isEqualTo(200);
    }

    @Test
    void anAuthorityOfAnotherShapeReplacesTheRole() {
        DashboardGuard guard = SpringSecurityUserCheck.guard("ONS_DELAY_ADMIN", "SCOPE_ons-delay", beans);
        user("ROLE_ONS_DELAY_ADMIN");
        assertThat(status(guard)).isEqualTo(403);
        user("SCOPE_ons-delay");
        assertThat(status(guard)).isEqualTo(200);
    }

}
