package dev.skiff.orchestrator.api;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every JAX-RS endpoint of the orchestrator's main classes, as "METHOD /path" with each path parameter written
 * {name}, the form an OpenAPI document uses: found from the classes themselves, so that an endpoint added later is
 * in the list without anyone adding it here.
 */
final class JaxRsEndpoints {

    private JaxRsEndpoints() {
    }

    static Set<String> all() {
        Set<String> endpoints = new TreeSet<>();
        var classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.skiff.orchestrator");
        for (JavaClass resource : classes) {
            if (!resource.isAnnotatedWith(Path.class)) {
                continue;
            }
            Class<?> type = resource.reflect();
            String base = type.getAnnotation(Path.class).value();
            for (Method method : type.getDeclaredMethods()) {
                String verb = httpMethod(method);
                Path path = method.getAnnotation(Path.class);
                if (verb == null && path != null) {
                    throw new IllegalStateException(type.getSimpleName() + "." + method.getName()
                            + " is a sub-resource locator: list its resource's endpoints here");
                }
                if (verb != null) {
                    endpoints.add(verb + " " + join(base, path == null ? "" : path.value()));
                }
            }
        }
        return endpoints;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /** "/jobs" and "{name: [a-z]+}/runs" make "/jobs/{name}/runs". */
    static String join(String base, String path) {
        String joined = ("/" + base + "/" + path).replaceAll("/+", "/");
        String withoutRegexes = joined.replaceAll("\\{\\s*([^:}\\s]+)\\s*:[^}]*}", "{$1}");
        return withoutRegexes.length() > 1 && withoutRegexes.endsWith("/")
                ? withoutRegexes.substring(0, withoutRegexes.length() - 1)
                : withoutRegexes;
    }
}
