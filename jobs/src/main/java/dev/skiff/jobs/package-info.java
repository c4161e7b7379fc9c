/** The job-spec library: model, parsing, validation. */
package dev.skiff.jobs;
