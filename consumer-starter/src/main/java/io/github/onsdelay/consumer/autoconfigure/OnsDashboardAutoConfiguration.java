package io.github.onsdelay.consumer.autoconfigure;

import io.github.onsdelay.consumer.OnsListenerRegistry;
import io.github.onsdelay.consumer.actuate.OnsDashboardJournal;
import io.github.onsdelay.consumer.actuate.OnsDelayReporter;
import io.github.onsdelay.consumer.internal.DashboardGuard;
import io.github.onsdelay.consumer.internal.DashboardGuards;
import io.github.onsdelay.consumer.internal.DashboardRouter;
import io.github.onsdelay.core.OnsConfigurationException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The live page and its actions, in a servlet web application that sets {@code mqs.ons.dashboard.enabled=true}:
 * behind the application's Spring Security when it has it (which then asks for {@code mqs.ons.dashboard.role}),
 * with a warning at start-up when it has not. The journal's actions appear with an {@link OnsDashboardJournal}.
 */
@AutoConfiguration(after = OnsConsumerAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBooleanProperty("mqs.ons.dashboard.enabled")
@ConditionalOnBean(OnsDelayReporter.class)
@EnableConfigurationProperties(OnsDashboardProperties.class)
public final class OnsDashboardAutoConfiguration {

    private static final Log LOG = LogFactory.getLog(OnsDashboardAutoConfiguration.class);

    @Bean
    RouterFunction<ServerResponse> onsDelayDashboardRoutes(OnsDashboardProperties properties, OnsDelayReporter reporter,
            OnsListenerRegistry listeners, ObjectProvider<OnsDashboardJournal> journal, BeanFactory beans) {
        String path = properties.getPath();
        if (!path.matches("/[A-Za-z0-9._~/-]*")) {
            throw new OnsConfigurationException("mqs.ons.dashboard.path=" + path + " is not a plain path: start it "
                + "with / and use letters, digits and . _ ~ - / only, e.g. /ons-delay");
        }
        String role = properties.getRole();
        if (!role.matches("[A-Za-z0-9_.:-]+") || role.startsWith("ROLE_")) {
            throw new OnsConfigurationException("mqs.ons.dashboard.role=" + role + " is not a role name: give it "
                + "without the ROLE_ prefix, e.g. ONS_DELAY_ADMIN (for an authority of another shape, set "
                + "mqs.ons.dashboard.authority)");
        }
        String authority = properties.getAuthority();
        if (authority != null && authority.isBlank()) {
            authority = null;
        }
        // The filter Spring Security registers under this name (@EnableWebSecurity, which Spring Boot turns on).
        boolean secured = beans.containsBean("springSecurityFilterChain");
        DashboardGuard guard = secured ? DashboardGuards.springSecurity(role, authority, beans) : DashboardGuard.open();
        if (!secured) {
            LOG.warn("ons-delay's live page at " + path + " is on without Spring Security: anyone who reaches it can "
                + "see business keys and errors, pause listeners and replay or cancel messages. Add Spring Security "
                + "(the page then asks for the role " + role + "), or keep the path off the public network");
        }
        return new DashboardRouter(path, reporter, listeners, journal.getIfUnique(), guard).routes();
    }

}
