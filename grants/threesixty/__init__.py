"""360Giving publication: grants as open data, generated from the models, streamed."""
