package io.github.onsdelay.consumer.internal;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;

/**
 * Makes the live page's guards, so that the auto-configuration names no Spring Security type: the one that uses it
 * is loaded only when it is called.
 */
public final class DashboardGuards {

    private DashboardGuards() {
    }

    /** The guard asking Spring Security for the authority when given, else for the role. */
    public static DashboardGuard springSecurity(String role, @Nullable String authority, BeanFactory beans) {
        return SpringSecurityUserCheck.guard(role, authority, beans);
    }

}
