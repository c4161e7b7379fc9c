/** The Skiff service. */
package dev.skiff.orchestrator;
