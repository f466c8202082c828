package dev.sentinel.contracts.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Free text a request may carry into a PostgreSQL {@code text} column: PostgreSQL stores no
 * NUL character (U+0000) in text and refuses the whole statement, so a NUL is refused at the
 * edge instead (400 {@code VAL_INVALID_FIELDS} naming the field) rather than as a 500 from the
 * database. Put it on every request field or parameter whose value is stored or queried as
 * text and is not already held to a stricter pattern; code that checks text by hand uses
 * {@link Validator#allows}. {@code null} is valid (use {@code @NotNull} for that).
 */
@Documented
@Constraint(validatedBy = StorableText.Validator.class)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE_USE,
        ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface StorableText {

    String message() default "must not contain the NUL character (U+0000)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The check behind the annotation, also for code that checks text by hand. */
    class Validator implements ConstraintValidator<StorableText, CharSequence> {

        /** Whether PostgreSQL can store {@code text} as text: it has no NUL ({@code null} passes). */
        public static boolean allows(CharSequence text) {
            return text == null || text.chars().noneMatch(c -> c == 0);
        }

        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            return allows(value);
        }
    }
}
