/// Why a generated workflow did not produce its outputs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A step's success criteria did not hold and no failure action applied.
    #[error("workflow `{workflow}`, step `{step}`: {message}")]
    StepFailed {
        workflow: &'static str,
        step: &'static str,
        message: String,
    },
}
