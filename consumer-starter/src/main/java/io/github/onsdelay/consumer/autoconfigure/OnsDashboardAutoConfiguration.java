package io.github.onsdelay.consumer.autoconfigure;

import io.github.onsdelay.consumer.actuate.OnsDelayReporter;
import io.github.onsdelay.consumer.internal.DashboardRouter;
import io.github.onsdelay.core.OnsConfigurationException;
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
 * The live page, in a servlet web application that sets {@code mqs.ons.dashboard.enabled=true}.
 */
@AutoConfiguration(after = OnsConsumerAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBooleanProperty("mqs.ons.dashboard.enabled")
@ConditionalOnBean(OnsDelayReporter.class)
@EnableConfigurationProperties(OnsDashboardProperties.class)
public final class OnsDashboardAutoConfiguration {

    @Bean
    RouterFunction<ServerResponse> onsDelayDashboardRoutes(OnsDashboardProperties properties, OnsDelayReporter reporter) {
        String path = properties.getPath();
        if (!path.matches("/[A-Za-z0-9._~/-]*")) {
            throw new OnsConfigurationException("mqs.ons.dashboard.path=" + path + " is not a plain path: start it "
                + "with / and use letters, digits and . _ ~ - / only, e.g. /ons-delay");
        }
        return new DashboardRouter(path, reporter).routes();
    }

}
