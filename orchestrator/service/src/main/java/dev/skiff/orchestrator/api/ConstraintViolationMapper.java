package dev.skiff.orchestrator.api;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * A query or path parameter outside its bounds ({@code ?limit=-1}, {@code ?lines=0}) as a 400 problem naming the
 * parameter, its value and the rule, instead of the validator's own report.
 */
@Provider
public class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {

    @Override
    public Response toResponse(ConstraintViolationException e) {
        List<String> problems = e.getConstraintViolations().stream().map(ConstraintViolationMapper::describe).sorted().toList();
        String detail = problems.size() == 1 ? problems.get(0) : problems.size() + " request parameters are out of bounds";
        return ProblemMapper.problem(400, "Bad Request", detail, problems);
    }

    private static String describe(ConstraintViolation<?> violation) {
        String name = "";
        for (Path.Node node : violation.getPropertyPath()) {
            name = node.getName();
        }
        return name + ": " + violation.getInvalidValue() + " " + violation.getMessage();
    }
}
