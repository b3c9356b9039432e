package dev.bootj.it.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test that boots a VM in {@link QemuMachine}. Emulated boots take minutes each, so the
 * quick lane ({@code scripts/test --quick}, i.e. the Maven profile {@code quick}) leaves out the
 * tag {@value #TAG}; the full suite runs them. A new test that starts a {@link QemuMachine} must
 * carry this annotation, or the quick lane stops being quick.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(QemuBoot.TAG)
public @interface QemuBoot {

  /** The JUnit tag; integration-tests/pom.xml's profile {@code quick} excludes it by name. */
  String TAG = "qemu";
}
