/** Run and step semantics, and the compiler to Amazon States Language. */
package dev.skiff.workflows;
