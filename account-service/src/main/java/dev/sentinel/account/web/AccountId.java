package dev.sentinel.account.web;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A user id in a path or a body: the JWT {@code sub} of the account's owner (a UUID from auth-service). */
@Documented
@Constraint(validatedBy = {})
@ReportAsSingleViolation
@Size(min = 1, max = 128)
@Pattern(regexp = "[A-Za-z0-9._:-]+")
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface AccountId {

    String message() default "must be a user id";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
