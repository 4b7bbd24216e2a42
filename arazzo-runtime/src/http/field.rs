//! A form field's value: a JSON value made for the request or read where it is, or a typed
//! input written as its text where it lies.

use serde::Serialize;
use serde::ser::{self, Impossible};
use serde_json::Value;

use crate::encode::{self, FieldEncoding};

/// What one field adds to an `application/x-www-form-urlencoded` body.
pub trait FieldValue {
    /// Calls `pair` with each `(key, text)` the field adds (none when it is absent or null).
    fn pairs(&self, key: &str, encoding: FieldEncoding, pair: &mut dyn FnMut(&str, &str));
}

impl FieldValue for Option<Value> {
    fn pairs(&self, key: &str, encoding: FieldEncoding, pair: &mut dyn FnMut(&str, &str)) {
        if let Some(value) = self {
            encode::field_pairs(key, value, encoding, pair);
        }
    }
}

impl FieldValue for Option<&Value> {
    fn pairs(&self, key: &str, encoding: FieldEncoding, pair: &mut dyn FnMut(&str, &str)) {
        if let Some(value) = self {
            encode::field_pairs(key, value, encoding, pair);
        }
    }
}

/// A form body given as its fields (absent ones left out), encoded without building a JSON
/// object first.
pub(crate) fn form_fields(
    fields: &[(&str, &dyn FieldValue)],
    encodings: &[(&str, FieldEncoding)],
) -> String {
    // Sized for a few short fields: each doubling of the buffer is an allocation.
    let mut out = url::form_urlencoded::Serializer::new(String::with_capacity(128));
    for (key, value) in fields {
        value.pairs(key, encode::field_encoding(encodings, key), &mut |k, v| {
            out.append_pair(k, v);
        });
    }
    out.finish()
}

/// A field of the workflow's typed input as a form field. Strings, integers, booleans and
/// enums are written as their text where they lie, with no JSON copy (BENCHMARKS.md: four
/// allocations per run of the seed workflow); other values go through JSON, whose text they
/// then have, so both ways write the same body.
pub struct Typed<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> FieldValue for Typed<'_, T> {
    fn pairs(&self, key: &str, encoding: FieldEncoding, pair: &mut dyn FnMut(&str, &str)) {
        let scalar = Scalar {
            key,
            pair: &mut *pair,
        };
        if self.0.serialize(scalar).is_err()
            && let Ok(value) = serde_json::to_value(self.0)
        {
            encode::field_pairs(key, &value, encoding, pair);
        }
    }
}

/// Writes a scalar as one pair; refuses anything else before writing a thing, so that the
/// caller can take the JSON way instead. Floats are refused too: JSON writes them its own way
/// (`1.0`, where Rust writes `1`).
struct Scalar<'k, 'p> {
    key: &'k str,
    pair: &'p mut dyn FnMut(&str, &str),
}

impl Scalar<'_, '_> {
    fn write(self, text: &str) -> Result<(), NotScalar> {
        (self.pair)(self.key, text);
        Ok(())
    }
}

/// A value [`Scalar`] does not write.
#[derive(Debug)]
struct NotScalar;

impl std::fmt::Display for NotScalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a scalar")
    }
}

impl std::error::Error for NotScalar {}

impl ser::Error for NotScalar {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        NotScalar
    }
}

impl ser::Serializer for Scalar<'_, '_> {
    type Ok = ();
    type Error = NotScalar;
    type SerializeSeq = Impossible<(), NotScalar>;
    type SerializeTuple = Impossible<(), NotScalar>;
    type SerializeTupleStruct = Impossible<(), NotScalar>;
    type SerializeTupleVariant = Impossible<(), NotScalar>;
    type SerializeMap = Impossible<(), NotScalar>;
    type SerializeStruct = Impossible<(), NotScalar>;
    type SerializeStructVariant = Impossible<(), NotScalar>;

    fn serialize_bool(self, v: bool) -> Result<(), NotScalar> {
        self.write(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), NotScalar> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), NotScalar> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), NotScalar> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), NotScalar> {
        self.write(&v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<(), NotScalar> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), NotScalar> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), NotScalar> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), NotScalar> {
        self.write(&v.to_string())
    }
    fn serialize_f32(self, _: f32) -> Result<(), NotScalar> {
        Err(NotScalar)
    }
    fn serialize_f64(self, _: f64) -> Result<(), NotScalar> {
        Err(NotScalar)
    }
    fn serialize_char(self, v: char) -> Result<(), NotScalar> {
        self.write(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), NotScalar> {
        self.write(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), NotScalar> {
        Err(NotScalar)
    }
    fn serialize_none(self) -> Result<(), NotScalar> {
        Ok(())
    }
    fn serialize_some<V: Serialize + ?Sized>(self, value: &V) -> Result<(), NotScalar> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), NotScalar> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), NotScalar> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), NotScalar> {
        self.write(variant)
    }
    fn serialize_newtype_struct<V: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &V,
    ) -> Result<(), NotScalar> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<V: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &V,
    ) -> Result<(), NotScalar> {
        Err(NotScalar)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, NotScalar> {
        Err(NotScalar)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotScalar> {
        Err(NotScalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn written(value: &dyn FieldValue, encoding: FieldEncoding) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        value.pairs("f", encoding, &mut |k, v| {
            pairs.push((k.to_owned(), v.to_owned()))
        });
        pairs
    }

    #[derive(Serialize)]
    #[serde(rename_all = "lowercase")]
    enum Method {
        Post,
    }

    #[derive(Serialize)]
    struct Point {
        x: i32,
    }

    /// A typed input writes the very pairs its JSON copy would.
    #[test]
    fn typed_inputs_write_what_their_json_writes() {
        fn same<T: Serialize>(value: T) {
            for encoding in [
                encode::FORM_DEFAULT,
                FieldEncoding {
                    style: encode::Style::DeepObject,
                    explode: true,
                },
                FieldEncoding {
                    style: encode::Style::PipeDelimited,
                    explode: false,
                },
            ] {
                let json = serde_json::to_value(&value).ok();
                assert_eq!(
                    written(&Typed(&value), encoding),
                    written(&json, encoding),
                    "{json:?}"
                );
            }
        }
        same("a b&c".to_owned());
        same(Some("x".to_owned()));
        same(None::<String>);
        same(-42_i64);
        same(7_u8);
        same(1.0_f64);
        same(2.5_f32);
        same(true);
        same('é');
        same(Method::Post);
        same(Some(Method::Post));
        same(vec!["a", "b"]);
        same(Point { x: 1 });
        same(json!({"k": [1, "two"]}));
        same(json!(null));
    }

    #[test]
    fn absent_and_null_fields_add_nothing() {
        assert!(written(&Typed(&None::<i32>), encode::FORM_DEFAULT).is_empty());
        assert!(written(&None::<Value>, encode::FORM_DEFAULT).is_empty());
        assert!(written(&Some(&Value::Null), encode::FORM_DEFAULT).is_empty());
    }
}
