variable "path" {
  description = "The domain folder: the one holding domain.yaml (e.g. \"$${path.root}\" or \"$${path.module}/../sales\")."
  type        = string
}

variable "options" {
  description = "Overrides of domain.yaml, the SqlDomain props of the same meaning. Unset attributes keep domain.yaml's values; upstream replaces domain.yaml's upstream entirely."
  type = object({
    namespace         = optional(string)
    team              = optional(string)
    project           = optional(string)
    location          = optional(string)
    default_schedule  = optional(string)
    default_feed_type = optional(string)
    timezone          = optional(string)
    upstream          = optional(map(string))
  })
  default = {}
}
