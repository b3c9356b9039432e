/**
 * Unattended updates ({@code bootj auto-update}, run by bootj-update.service from its timer): the
 * machine's {@link dev.bootj.system.autoupdate.UpdatePolicy} (update.toml: mode and maintenance
 * window), the decision of one cycle ({@link dev.bootj.system.autoupdate.CyclePlan}, pure rules),
 * and {@link dev.bootj.system.autoupdate.AutoUpdateService}, which gathers the facts, carries the
 * decision out through {@code UpdateService} and records it ({@link
 * dev.bootj.system.autoupdate.AutoUpdateRecord} under /var, the journal with stable MESSAGE_IDs,
 * and {@link dev.bootj.system.autoupdate.AutoUpdateReport}, schema
 * docs/schemas/auto-update-v1.schema.json). A digest that failed to boot here is never staged
 * again.
 */
package dev.bootj.system.autoupdate;
