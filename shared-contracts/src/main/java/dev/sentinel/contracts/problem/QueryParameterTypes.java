package dev.sentinel.contracts.problem;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which query (or header) parameters of a resource method hold a value that does not convert to the
 * parameter's Java type ({@code ?limit=abc} for an {@code int}). RESTEasy Reactive refuses such
 * a request with a bare {@code NotFoundException} (the JAX-RS rule) that names no parameter;
 * this finds the names again by converting each value the way JAX-RS does: primitives through
 * their wrapper, then a static {@code valueOf(String)}, {@code fromString(String)} or
 * {@code parse(CharSequence)}, or a constructor taking a String; a collection or Optional by its
 * element type. A type it cannot judge counts as convertible. Plain Java, no Quarkus.
 */
public final class QueryParameterTypes {

    private static final Map<Class<?>, Class<?>> WRAPPERS = Map.of(int.class, Integer.class, long.class, Long.class,
            short.class, Short.class, byte.class, Byte.class, double.class, Double.class, float.class, Float.class,
            boolean.class, Boolean.class, char.class, Character.class);

    private QueryParameterTypes() {
    }

    /** The query parameters of {@code method} whose value in {@code query} does not convert, in declaration order. */
    public static List<Problem.FieldError> wrong(Method method, Map<String, List<String>> query) {
        return query == null ? new ArrayList<>() : wrong(method, QueryParameterTypes::queryName, query::get);
    }

    /**
     * The header parameters of {@code method} whose value does not convert, by header name as
     * declared, in declaration order; {@code headers} gives a header's values by name (case-insensitive,
     * as {@code HttpHeaders#getRequestHeader}). JAX-RS refuses these with a bare 400.
     */
    public static List<Problem.FieldError> wrongHeaders(Method method, Function<String, List<String>> headers) {
        return headers == null ? new ArrayList<>() : wrong(method, QueryParameterTypes::headerName, headers);
    }

    private static List<Problem.FieldError> wrong(Method method, Function<Parameter, String> nameOf,
            Function<String, List<String>> valuesOf) {
        List<Problem.FieldError> wrong = new ArrayList<>();
        if (method == null) {
            return wrong;
        }
        for (Parameter parameter : method.getParameters()) {
            String name = nameOf.apply(parameter);
            List<String> values = name == null ? null : valuesOf.apply(name);
            if (values == null || values.isEmpty()) {
                continue;
            }
            Type type = parameter.getParameterizedType();
            boolean many = false;
            if (type instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw
                    && (Collection.class.isAssignableFrom(raw) || raw == Optional.class)) {
                type = generic.getActualTypeArguments()[0];
                many = Collection.class.isAssignableFrom(raw);
            }
            if (!(type instanceof Class<?> target)) {
                continue;
            }
            for (String value : many ? values : values.subList(0, 1)) {
                if (!converts(target, value)) {
                    wrong.add(new Problem.FieldError(name, "has the wrong type"));
                    break;
                }
            }
        }
        return wrong;
    }

    private static String headerName(Parameter parameter) {
        HeaderParam header = parameter.getAnnotation(HeaderParam.class);
        if (header != null) {
            return header.value();
        }
        RestHeader rest = parameter.getAnnotation(RestHeader.class);
        if (rest != null) {
            return rest.value().isEmpty() ? parameter.getName() : rest.value();
        }
        return null;
    }

    private static String queryName(Parameter parameter) {
        QueryParam query = parameter.getAnnotation(QueryParam.class);
        if (query != null) {
            return query.value();
        }
        RestQuery rest = parameter.getAnnotation(RestQuery.class);
        if (rest != null) {
            return rest.value().isEmpty() ? parameter.getName() : rest.value();
        }
        return null;
    }

    /** Whether JAX-RS would turn {@code value} into a {@code type}; false only when its conversion throws. */
    static boolean converts(Class<?> type, String value) {
        Class<?> target = WRAPPERS.getOrDefault(type, type);
        if (target == String.class || target == Object.class) {
            return true;
        }
        if (target == Character.class) {
            return value.length() == 1;
        }
        if (target == Boolean.class) {
            return true; // JAX-RS reads anything but "true" as false
        }
        try {
            if (target.isEnum()) {
                Method fromString = staticFactory(target, "fromString", String.class);
                if (fromString != null) {
                    return fromString.invoke(null, value) != null;
                }
                enumValue(target, value);
                return true;
            }
            for (String name : new String[] {"valueOf", "fromString"}) {
                Method factory = staticFactory(target, name, String.class);
                if (factory != null) {
                    factory.invoke(null, value);
                    return true;
                }
            }
            Method parse = staticFactory(target, "parse", CharSequence.class);
            if (parse != null) {
                parse.invoke(null, value);
                return true;
            }
            Constructor<?> constructor = target.getConstructor(String.class);
            constructor.newInstance(value);
            return true;
        } catch (InvocationTargetException | IllegalArgumentException e) {
            return false;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // not a type we can judge: leave the verdict to JAX-RS
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void enumValue(Class<?> type, String value) {
        Enum.valueOf((Class) type, value);
    }

    private static Method staticFactory(Class<?> type, String name, Class<?> argument) {
        try {
            Method method = type.getMethod(name, argument);
            return Modifier.isStatic(method.getModifiers()) && type.isAssignableFrom(method.getReturnType()) ? method : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
