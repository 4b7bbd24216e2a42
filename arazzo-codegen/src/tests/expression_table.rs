//! The expression and condition grammar, case by case: every valid input with its parsed
//! (canonical) form, every invalid one with its message and the exact range it points at.
//! Cases cover each grammar rule, the rules of the project's Arazzo notes (sections 4–6), the
//! examples of the Arazzo specification and what the upstream corpus contains.

use crate::expr::{self, StringValue, condition};

/// `(input, canonical form)`: parses as one whole-string expression.
const EXPRESSIONS: &[(&str, &str)] = &[
    // Bare roots.
    ("$url", "$url"),
    ("$method", "$method"),
    ("$statusCode", "$statusCode"),
    // Request parts (spec examples).
    ("$request.header.accept", "$request.header.accept"),
    (
        "$request.header.Content-Type",
        "$request.header.Content-Type",
    ),
    (
        "$request.header.X-Rate-Limit.Remaining",
        "$request.header.X-Rate-Limit.Remaining",
    ),
    ("$request.query.queryUrl", "$request.query.queryUrl"),
    ("$request.query.page.size", "$request.query.page.size"),
    ("$request.path.id", "$request.path.id"),
    ("$request.path.petId", "$request.path.petId"),
    ("$request.body", "$request.body"),
    ("$request.body#/user/uuid", "$request.body#/user/uuid"),
    ("$request.body#/pets/0/name", "$request.body#/pets/0/name"),
    // Response parts.
    ("$response.header.Location", "$response.header.Location"),
    ("$response.header.Server", "$response.header.Server"),
    ("$response.header.x-next", "$response.header.x-next"),
    (
        "$response.header.Retry-After",
        "$response.header.Retry-After",
    ),
    ("$response.body", "$response.body"),
    ("$response.body#/sid", "$response.body#/sid"),
    ("$response.body#/status", "$response.body#/status"),
    ("$response.body#/pets/0/name", "$response.body#/pets/0/name"),
    (
        "$response.body#/data/items/10/id",
        "$response.body#/data/items/10/id",
    ),
    ("$response.body#", "$response.body"),
    ("$response.body#/", "$response.body#/"),
    // RFC 6901 escapes: `~1` is `/`, `~0` is `~`.
    (
        "$response.body#/paths/~1pets",
        "$response.body#/paths/~1pets",
    ),
    ("$response.body#/a~0b", "$response.body#/a~0b"),
    ("$response.body#/~01", "$response.body#/~01"),
    ("$response.body#/a%20b", "$response.body#/a%20b"),
    ("$response.body#/with space", "$response.body#/with space"),
    // `.member` and `[index]` navigation, as real documents write it.
    ("$response.body.num", "$response.body.num"),
    ("$response.body.data[0].id", "$response.body.data[0].id"),
    ("$response.body[0]", "$response.body[0]"),
    ("$response.body[12].name", "$response.body[12].name"),
    ("$request.body.user.name", "$request.body.user.name"),
    // Inputs: names may contain dots, `-` and `_`.
    ("$inputs", "$inputs"),
    ("$inputs.username", "$inputs.username"),
    ("$inputs.friendlyName", "$inputs.friendlyName"),
    (
        "$inputs.extract-article_body",
        "$inputs.extract-article_body",
    ),
    ("$inputs.Configuration.Url", "$inputs.Configuration.Url"),
    ("$inputs.user.address.city", "$inputs.user.address.city"),
    ("$inputs.pet#/id", "$inputs.pet#/id"),
    ("$inputs.pets[0]", "$inputs.pets[0]"),
    ("$inputs.pets[0].name", "$inputs.pets[0].name"),
    ("$inputs.v2", "$inputs.v2"),
    // Outputs of a child workflow.
    ("$outputs.ticketId", "$outputs.ticketId"),
    ("$outputs.pet#/name", "$outputs.pet#/name"),
    // Step outputs.
    (
        "$steps.createConversation.outputs.conversationSid",
        "$steps.createConversation.outputs.conversationSid",
    ),
    (
        "$steps.someStepId.outputs.pets",
        "$steps.someStepId.outputs.pets",
    ),
    (
        "$steps.get-pet.outputs.pet#/name",
        "$steps.get-pet.outputs.pet#/name",
    ),
    ("$steps.step_1.outputs.a.b", "$steps.step_1.outputs.a.b"),
    (
        "$steps.list.outputs.items[2]",
        "$steps.list.outputs.items[2]",
    ),
    ("$steps.a.outputs.outputs", "$steps.a.outputs.outputs"),
    // Workflows.
    (
        "$workflows.foo.inputs.username",
        "$workflows.foo.inputs.username",
    ),
    (
        "$workflows.setup_pet.outputs.createdPetId",
        "$workflows.setup_pet.outputs.createdPetId",
    ),
    ("$workflows.a-b.outputs.x#/y", "$workflows.a-b.outputs.x#/y"),
    // Sources and components.
    (
        "$sourceDescriptions.petstore.url",
        "$sourceDescriptions.petstore.url",
    ),
    (
        "$sourceDescriptions.petstoreDescription.getPetById",
        "$sourceDescriptions.petstoreDescription.getPetById",
    ),
    (
        "$sourceDescriptions.museum-api.v1.get.hours",
        "$sourceDescriptions.museum-api.v1.get.hours",
    ),
    ("$components.parameters.foo", "$components.parameters.foo"),
    (
        "$components.parameters.page.size",
        "$components.parameters.page.size",
    ),
    (
        "$components.successActions.done",
        "$components.successActions.done",
    ),
    (
        "$components.failureActions.retry-twice",
        "$components.failureActions.retry-twice",
    ),
    ("$components.inputs.adoption", "$components.inputs.adoption"),
];

/// `(input, message, range)`: must fail as a whole-string expression, pointing at `range`.
const BAD_EXPRESSIONS: &[(&str, &str, std::ops::Range<usize>)] = &[
    ("$", "unknown expression `$`", 0..1),
    ("$statuscode", "unknown expression `$statuscode`", 0..11),
    ("$status", "unknown expression `$status`", 0..7),
    ("$responses.body", "unknown expression `$responses`", 0..10),
    ("$input.x", "unknown expression `$input`", 0..6),
    ("$step.a.outputs.b", "unknown expression `$step`", 0..5),
    (
        "$dependencies.setup_pet.createdPetId",
        "`$dependencies` is not an Arazzo expression",
        0..13,
    ),
    ("$request", "`$request` needs a part", 0..8),
    ("$response", "`$response` needs a part", 0..9),
    (
        "$request.headers.accept",
        "`$request` has no part `headers`",
        9..16,
    ),
    (
        "$response.query.page",
        "`$response` has no part `query`",
        10..15,
    ),
    (
        "$response.path.id",
        "`$response` has no part `path`",
        10..14,
    ),
    ("$response.sid", "`$response` has no part `sid`", 10..13),
    (
        "$request.header",
        "expected `.` and a name after `$request.header`",
        15..15,
    ),
    ("$request.header.", "expected a header name", 16..16),
    ("$request.query.", "expected a parameter name", 15..15),
    (
        "$response.body#sid",
        "a JSON pointer after `#` must start with `/`",
        14..18,
    ),
    (
        "$response.body/sid",
        "unexpected `/sid` after the expression",
        14..18,
    ),
    ("$response.body#/a~2", "`~` must be followed by `0`", 15..19),
    ("$response.body#/a~", "`~` must be followed by `0`", 15..18),
    ("$response.body[", "expected `[<index>]`", 14..15),
    ("$response.body[x]", "expected `[<index>]`", 14..15),
    ("$response.body[-1]", "expected `[<index>]`", 14..15),
    (
        "$response.body.",
        "expected a member name after `.`",
        15..15,
    ),
    ("$inputs.", "expected an input name", 8..8),
    (
        "$outputs.a b",
        "unexpected ` b` after the expression",
        10..12,
    ),
    ("$steps.s.outputs.x y", "unexpected", 18..20),
    (
        "$outputs",
        "expected `.` and an output name after `$outputs`",
        8..8,
    ),
    ("$steps", "expected `.` and a step id after `$steps`", 6..6),
    ("$steps.", "expected a step id", 7..7),
    (
        "$steps.getPet.pet",
        "`$steps.getPet` must be followed by `.outputs.<name>`",
        13..17,
    ),
    (
        "$steps.getLatestComicStep.comicId",
        "`$steps.getLatestComicStep` must be followed by `.outputs.<name>`",
        25..33,
    ),
    (
        "$steps.getPet.output.pet",
        "`$steps.getPet` must be followed by `.outputs.<name>`",
        13..24,
    ),
    (
        "$steps.getPet",
        "`$steps.getPet` must be followed by `.outputs.<name>`",
        13..13,
    ),
    ("$steps.getPet.outputs.", "expected an output name", 22..22),
    (
        "$workflows.foo",
        "must be followed by `.inputs.<name>` or `.outputs.<name>`",
        14..14,
    ),
    (
        "$workflows.foo.steps.a",
        "must be followed by `.inputs.<name>` or `.outputs.<name>`",
        14..14,
    ),
    (
        "$sourceDescriptions",
        "expected `.` and a source name",
        19..19,
    ),
    (
        "$sourceDescriptions.petstore",
        "expected `.` and `url`, an operationId or a workflowId",
        28..28,
    ),
    ("$components", "expected `.` and a component kind", 11..11),
    (
        "$components.schemas.Pet",
        "`$components` has no kind `schemas`",
        12..19,
    ),
    (
        "$components.parameters",
        "expected `.` and a component name",
        22..22,
    ),
    ("$url.path", "unexpected `.path` after the expression", 4..9),
    ("$statusCode == 200", "unexpected", 11..18),
];

/// What the help of some errors suggests (the common slips).
const HELPS: &[(&str, &str)] = &[
    ("$statuscode", "did you mean `$statusCode`?"),
    ("$responses.body", "did you mean `$response`?"),
    ("$request.headers.accept", "write `$request.header.<name>`"),
    (
        "$response.sid",
        "to read a field of the body, write `$response.body#/sid`",
    ),
    ("$response.body#sid", "write `#/sid`"),
    (
        "$response.body/sid",
        "a JSON pointer is introduced by `#`: write `#/sid`",
    ),
    ("$steps.getPet.pet", "write `$steps.getPet.outputs.pet`"),
    (
        "$steps.getLatestComicStep.comicId",
        "write `$steps.getLatestComicStep.outputs.comicId`",
    ),
    ("$components.schemas.Pet", ""),
    (
        "$outputs.a b",
        "to mix text and expressions, wrap each expression in braces",
    ),
    (
        "$dependencies.setup_pet.createdPetId",
        "`$workflows.<workflowId>.outputs.<name>`",
    ),
];

#[test]
fn valid_expressions_parse_to_their_canonical_form() {
    for (input, canonical) in EXPRESSIONS {
        match expr::expression(input) {
            Ok(e) => {
                assert_eq!(&e.to_string(), canonical, "{input}");
                assert_eq!(e.range, 0..input.len(), "{input}: range");
            }
            Err(e) => panic!("{input}: {e:?}"),
        }
    }
}

#[test]
fn invalid_expressions_report_what_and_where() {
    for (input, message, range) in BAD_EXPRESSIONS {
        match expr::expression(input) {
            Ok(e) => panic!("{input}: parsed as {e}"),
            Err(e) => {
                assert!(
                    e.message.contains(message),
                    "{input}: message {:?} lacks {message:?}",
                    e.message
                );
                assert_eq!(&e.range, range, "{input}: range of {:?}", e.message);
            }
        }
    }
}

#[test]
fn common_slips_get_a_suggestion() {
    for (input, help) in HELPS {
        let e = expr::expression(input)
            .err()
            .unwrap_or_else(|| panic!("{input} parsed"));
        let got = e.help.clone().unwrap_or_default();
        assert!(got.contains(help), "{input}: help {got:?} lacks {help:?}");
    }
}

/// `(string value, what it is)`: literal text, one expression, or a template.
const STRING_VALUES: &[(&str, &str)] = &[
    ("plain text", "literal"),
    ("", "literal"),
    ("$5 off", "literal"),
    ("cost: $5", "literal"),
    ("USD$", "literal"),
    ("{not an expression}", "literal"),
    (
        "{$inputs.x",
        "error: expected `}` to close the embedded expression",
    ),
    ("$inputs.username", "expression $inputs.username"),
    ("$response.body#/sid", "expression $response.body#/sid"),
    ("{$inputs.id}", "template [{$inputs.id}]"),
    (
        "Bearer {$steps.auth.outputs.token}",
        "template [\"Bearer \", {$steps.auth.outputs.token}]",
    ),
    (
        "{$inputs.a}-{$inputs.b}",
        "template [{$inputs.a}, \"-\", {$inputs.b}]",
    ),
    (
        "/pets/{$inputs.id}/photos",
        "template [\"/pets/\", {$inputs.id}, \"/photos\"]",
    ),
    (
        "{$response.body#/next}",
        "template [{$response.body#/next}]",
    ),
    (
        "{$response.body#/a/b}?x=1",
        "template [{$response.body#/a/b}, \"?x=1\"]",
    ),
    (
        "{$sourceDescriptions.petstore.url}/pets",
        "template [{$sourceDescriptions.petstore.url}, \"/pets\"]",
    ),
    (
        "a {$inputs.x} b {$inputs.y} c",
        "template [\"a \", {$inputs.x}, \" b \", {$inputs.y}, \" c\"]",
    ),
    ("{$inputs.x}}", "template [{$inputs.x}, \"}\"]"),
    ("{{$inputs.x}}", "template [\"{\", {$inputs.x}, \"}\"]"),
    ("{$statuscode}", "error: unknown expression `$statuscode`"),
    ("$statuscode", "error: unknown expression `$statuscode`"),
    (
        "$outputs.x and more",
        "error: unexpected ` and more` after the expression",
    ),
    // The 1.0.1 grammar's input name is any text; whether it is declared is checked later.
    ("$inputs.x and more", "expression $inputs.x and more"),
    (
        "$inputs.filter[action]",
        "expression $inputs.filter[action]",
    ),
    ("$inputs.$.xgafv#/a", "expression $inputs.$.xgafv#/a"),
    (
        "{$inputs.Aux Price} each",
        "template [{$inputs.Aux Price}, \" each\"]",
    ),
];

fn describe(value: &Result<StringValue, expr::ExprError>) -> String {
    match value {
        Ok(StringValue::Literal) => "literal".to_owned(),
        Ok(StringValue::Expression(e)) => format!("expression {e}"),
        Ok(StringValue::Template(parts)) => {
            let shown: Vec<String> = parts
                .iter()
                .map(|p| match p {
                    expr::TemplatePart::Literal(t) => format!("{t:?}"),
                    expr::TemplatePart::Expression(e) => format!("{{{e}}}"),
                })
                .collect();
            format!("template [{}]", shown.join(", "))
        }
        Err(e) => format!("error: {}", e.message),
    }
}

#[test]
fn string_values_are_literals_expressions_or_templates() {
    for (input, expected) in STRING_VALUES {
        assert_eq!(&describe(&expr::string_value(input)), expected, "{input:?}");
    }
}

/// `(condition, fully parenthesised form)`.
const CONDITIONS: &[(&str, &str)] = &[
    // Specification and corpus examples.
    ("$statusCode == 200", "$statusCode == 200"),
    ("$statusCode == 201", "$statusCode == 201"),
    ("$statusCode >= 500", "$statusCode >= 500"),
    ("$statusCode == 404", "$statusCode == 404"),
    ("$statusCode < 300", "$statusCode < 300"),
    ("$statusCode <= 299", "$statusCode <= 299"),
    ("$statusCode > 199", "$statusCode > 199"),
    ("$statusCode != 500", "$statusCode != 500"),
    (
        "$response.body#/status == 'available'",
        "$response.body#/status == 'available'",
    ),
    (
        "$request.body#/pets/0/name == 'fido'",
        "$request.body#/pets/0/name == 'fido'",
    ),
    (
        "$response.header.Location != null",
        "$response.header.Location != null",
    ),
    (
        "$response.body#/next == null",
        "$response.body#/next == null",
    ),
    // Literals.
    (
        "$response.body#/active == true",
        "$response.body#/active == true",
    ),
    (
        "$response.body#/active == false",
        "$response.body#/active == false",
    ),
    ("$response.body#/count == 0", "$response.body#/count == 0"),
    ("$response.body#/ratio > 0.5", "$response.body#/ratio > 0.5"),
    ("$response.body#/delta > -1", "$response.body#/delta > -1"),
    ("$response.body#/big < 1e6", "$response.body#/big < 1000000"),
    ("$response.body#/name == ''", "$response.body#/name == ''"),
    (
        "$response.body#/name == 'it''s'",
        "$response.body#/name == 'it''s'",
    ),
    (
        "$response.body#/name == 'a b c'",
        "$response.body#/name == 'a b c'",
    ),
    (
        "$response.body#/name == 'x==y && z'",
        "$response.body#/name == 'x==y && z'",
    ),
    (
        "$response.body#/name == 'Ünïcödé'",
        "$response.body#/name == 'Ünïcödé'",
    ),
    ("200 == $statusCode", "200 == $statusCode"),
    (
        "'ok' == $response.body#/status",
        "'ok' == $response.body#/status",
    ),
    (
        "null == $response.body#/error",
        "null == $response.body#/error",
    ),
    ("true", "true"),
    ("false", "false"),
    // Operands alone and negation.
    ("$response.body#/isActive", "$response.body#/isActive"),
    ("!$response.body#/isDeleted", "!$response.body#/isDeleted"),
    ("!!$response.body#/x", "!!$response.body#/x"),
    ("!($statusCode == 200)", "!$statusCode == 200"),
    // Logic and precedence: `&&` binds tighter than `||`; both are left-associative.
    (
        "$statusCode == 200 && $response.body#/ok == true",
        "($statusCode == 200 && $response.body#/ok == true)",
    ),
    (
        "$statusCode == 200 || $statusCode == 201",
        "($statusCode == 200 || $statusCode == 201)",
    ),
    (
        "$statusCode == 200 || $statusCode == 201 || $statusCode == 204",
        "(($statusCode == 200 || $statusCode == 201) || $statusCode == 204)",
    ),
    (
        "$statusCode == 200 && $url != null && $method == 'GET'",
        "(($statusCode == 200 && $url != null) && $method == 'GET')",
    ),
    (
        "$statusCode == 200 || $statusCode == 201 && $response.body#/x",
        "($statusCode == 200 || ($statusCode == 201 && $response.body#/x))",
    ),
    (
        "($statusCode == 200 || $statusCode == 201) && $response.body#/x",
        "(($statusCode == 200 || $statusCode == 201) && $response.body#/x)",
    ),
    (
        "!$response.body#/a && $response.body#/b",
        "(!$response.body#/a && $response.body#/b)",
    ),
    ("((($statusCode == 200)))", "$statusCode == 200"),
    // White space is free around operators.
    ("$statusCode==200", "$statusCode == 200"),
    ("  $statusCode   ==   200  ", "$statusCode == 200"),
    (
        "$statusCode==200&&$response.body#/a=='b'",
        "($statusCode == 200 && $response.body#/a == 'b')",
    ),
    (
        "($statusCode==200)||($statusCode==201)",
        "($statusCode == 200 || $statusCode == 201)",
    ),
    ("$statusCode\t==\t200", "$statusCode == 200"),
    // Pointers end at white space or an operator inside conditions.
    ("$response.body#/a/b!=null", "$response.body#/a/b != null"),
    (
        "$response.body#/items/0/id>=1",
        "$response.body#/items/0/id >= 1",
    ),
    (
        "$response.body.data[0].id == 7",
        "$response.body.data[0].id == 7",
    ),
    ("$steps.a.outputs.count > 0", "$steps.a.outputs.count > 0"),
    (
        "$inputs.limit <= $response.body#/total",
        "$inputs.limit <= $response.body#/total",
    ),
    (
        "$response.header.Content-Type == 'application/json'",
        "$response.header.Content-Type == 'application/json'",
    ),
    (
        "$workflows.setup.outputs.id != null",
        "$workflows.setup.outputs.id != null",
    ),
    // Double-quoted strings: accepted, with a warning (checked below).
    (
        "$response.body#/state == \"closed\"",
        "$response.body#/state == 'closed'",
    ),
    (
        "$response.body#/q == \"say \"\"hi\"\"\"",
        "$response.body#/q == 'say \"hi\"'",
    ),
];

/// `(condition, message, range, whether the runtime expression inside is what is malformed)`.
const BAD_CONDITIONS: &[(&str, &str, std::ops::Range<usize>, bool)] = &[
    ("", "the condition is empty", 0..0, false),
    ("   ", "the condition is empty", 0..0, false),
    (
        "$statusCode = 200",
        "`=` is not a comparison",
        12..13,
        false,
    ),
    (
        "$statusCode === 200",
        "`=` is not a comparison",
        14..15,
        false,
    ),
    (
        "$statusCode ==",
        "expected a value after this",
        13..14,
        false,
    ),
    ("== 200", "`=` is not a comparison", 0..1, false),
    (
        "$statusCode == 200 &&",
        "expected a value after this",
        20..21,
        false,
    ),
    (
        "$statusCode == 200 ||",
        "expected a value after this",
        20..21,
        false,
    ),
    (
        "$statusCode == 200 and $url != null",
        "unexpected `and`",
        19..35,
        false,
    ),
    ("$statusCode == 200 &", "unexpected `&`", 19..20, false),
    ("$statusCode == 200 |", "unexpected `|`", 19..20, false),
    ("($statusCode == 200", "`(` is never closed", 0..1, false),
    ("$statusCode == 200)", "unexpected `)`", 18..19, false),
    (
        "$response.body#/s == 'open",
        "this string is never closed",
        21..26,
        false,
    ),
    (
        "$response.body#/s == \"open",
        "this string is never closed",
        21..26,
        false,
    ),
    (
        "$response.body#/s == open",
        "`open` is not a value",
        21..25,
        false,
    ),
    (
        "$response.body#/ok == True",
        "`True` is not a value",
        22..26,
        false,
    ),
    (
        "$response.body#/ok == NULL",
        "`NULL` is not a value",
        22..26,
        false,
    ),
    (
        "statusCode == 200",
        "`statusCode` is not a value",
        0..10,
        false,
    ),
    ("$statusCode == 2x0", "`2x0` is not a number", 15..18, false),
    (
        "$statusCode == 1.2.3",
        "`1.2.3` is not a number",
        15..20,
        false,
    ),
    ("$statusCode == 200 200", "unexpected `200`", 19..22, false),
    (
        "$statuscode == 200",
        "unknown expression `$statuscode`",
        0..11,
        true,
    ),
    (
        "$response.sid == 'x'",
        "`$response` has no part `sid`",
        10..13,
        true,
    ),
    (
        "$steps.a.b == 1",
        "`$steps.a` must be followed by `.outputs.<name>`",
        8..10,
        true,
    ),
    (
        "$response.body#x == 1",
        "a JSON pointer after `#` must start with `/`",
        14..16,
        true,
    ),
    (
        "$response.body[x] == 1",
        "expected `[<index>]`",
        14..15,
        true,
    ),
    (
        "$.state != \"closed\"",
        "unknown expression `$`",
        0..1,
        true,
    ),
];

/// Helps for condition slips.
const CONDITION_HELPS: &[(&str, &str)] = &[
    ("$statusCode = 200", "compare with `==`"),
    (
        "$statusCode == 200 and $url != null",
        "combine conditions with `&&` and `||`",
    ),
    (
        "$response.body#/s == open",
        "quote text with single quotes: `'open'`",
    ),
    (
        "$response.body#/ok == True",
        "literals are lower case: `true`",
    ),
    (
        "statusCode == 200",
        "runtime expressions start with `$`: `$statusCode`",
    ),
    ("($statusCode == 200", "add the matching `)`"),
    ("$response.body#/s == 'open", "add the closing `'`"),
];

#[test]
fn valid_conditions_parse_with_the_right_grouping() {
    for (input, expected) in CONDITIONS {
        match condition::condition(input) {
            Ok(parsed) => assert_eq!(&parsed.condition.to_string(), expected, "{input}"),
            Err(e) => panic!("{input}: {e:?}"),
        }
    }
}

#[test]
fn invalid_conditions_report_what_and_where() {
    for (input, message, range, in_expression) in BAD_CONDITIONS {
        match condition::condition(input) {
            Ok(parsed) => panic!("{input}: parsed as {}", parsed.condition),
            Err(e) => {
                assert!(
                    e.message.contains(message),
                    "{input}: message {:?} lacks {message:?}",
                    e.message
                );
                assert_eq!(&e.range, range, "{input}: range of {:?}", e.message);
                assert_eq!(e.in_expression, *in_expression, "{input}: in_expression");
            }
        }
    }
}

#[test]
fn condition_slips_get_a_suggestion() {
    for (input, help) in CONDITION_HELPS {
        let e = condition::condition(input)
            .err()
            .unwrap_or_else(|| panic!("{input} parsed"));
        let got = e.help.clone().unwrap_or_default();
        assert!(got.contains(help), "{input}: help {got:?} lacks {help:?}");
    }
}

#[test]
fn double_quoted_strings_warn_with_the_single_quoted_form() {
    let parsed = condition::condition("$response.body#/state == \"it's closed\"")
        .unwrap_or_else(|e| panic!("{e:?}"));
    let warning = parsed
        .warnings
        .first()
        .unwrap_or_else(|| panic!("no warning"));
    assert_eq!(warning.range, 25..38);
    assert_eq!(
        warning.help.as_deref(),
        Some("Arazzo strings use single quotes: `'it''s closed'`")
    );
    assert!(
        condition::condition("$statusCode == 200")
            .map(|p| p.warnings.is_empty())
            .unwrap_or(false)
    );
}

#[test]
fn deeply_nested_conditions_are_refused_not_overflowed() {
    let deep = format!(
        "{}$statusCode == 200{}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let e = condition::condition(&deep)
        .err()
        .unwrap_or_else(|| panic!("parsed"));
    assert!(e.message.contains("nests too deeply"), "{}", e.message);
    let negations = format!("{}$url", "!".repeat(10_000));
    assert!(condition::condition(&negations).is_err());
}

#[test]
fn the_table_is_large_enough_to_mean_something() {
    let total = EXPRESSIONS.len()
        + BAD_EXPRESSIONS.len()
        + HELPS.len()
        + STRING_VALUES.len()
        + CONDITIONS.len()
        + BAD_CONDITIONS.len()
        + CONDITION_HELPS.len();
    assert!(total >= 200, "only {total} cases");
}

#[test]
fn expressions_in_plain_text_are_found_only_where_they_start_a_word() {
    for (text, found) in [
        ("Bearer $inputs.token", Some("$inputs.token")),
        ("SSWS $inputs.okta-token now", Some("$inputs.okta-token")),
        ("id=$steps.a.outputs.id", Some("$steps.a.outputs.id")),
        ("status $statusCode", Some("$statusCode")),
        ("$inputs.token", None),
        ("costs $5.00", None),
        ("US$inputs.x", None),
        ("$$inputs.x", None),
        ("a {$inputs.x} b", None),
        ("see $response", None),
        ("see $response.body", Some("$response.body")),
        ("see $responses.body", None),
        ("", None),
    ] {
        let got = expr::expression_in_text(text).and_then(|r| text.get(r));
        assert_eq!(got, found, "{text:?}");
    }
}
