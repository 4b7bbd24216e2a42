//! `arazzo!("path/to/workflow.arazzo.yaml")`: checks an Arazzo document at compile time.
//!
//! The macro only parses its arguments and hands them to `arazzo-codegen`; nothing is
//! implemented twice. Code generation arrives with the code generation issue; today the macro
//! reports every problem in the document as a compile error on the path literal.

use proc_macro::TokenStream;
use quote::quote;

#[proc_macro]
pub fn arazzo(input: TokenStream) -> TokenStream {
    let literal = syn::parse_macro_input!(input as syn::LitStr);
    expand(&literal)
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}

fn expand(literal: &syn::LitStr) -> syn::Result<proc_macro2::TokenStream> {
    let relative = std::path::PathBuf::from(literal.value());
    if relative.is_absolute() {
        return Err(syn::Error::new(
            literal.span(),
            "absolute paths are not accepted: a path relative to the crate root keeps the build reproducible on other machines",
        ));
    }
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .ok_or_else(|| {
            syn::Error::new(
                literal.span(),
                "CARGO_MANIFEST_DIR is not set; run the build through cargo",
            )
        })?;
    let report =
        arazzo_codegen::check_file(&root.join(&relative), &arazzo_codegen::Settings::default());
    if report.has_errors() {
        return Err(syn::Error::new(literal.span(), report.render()));
    }
    // Rebuild when any file the check read changes.
    let files = report
        .project
        .files
        .files()
        .map(|(_, f)| f.path().display().to_string())
        .collect::<Vec<_>>();
    Ok(quote! {
        #( const _: &str = include_str!(#files); )*
    })
}
