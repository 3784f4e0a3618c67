/**
 * Retention policies and calendars, presets for published backup policies, and a multi-year simulator. It depends
 * on nothing else of backup4j, so an application can plan retention without a repository.
 */
module dev.backup4j.retention {
    requires com.google.common;
    requires org.slf4j;

    exports dev.backup4j.retention;
}
