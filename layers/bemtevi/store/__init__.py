"""DynamoDB through PynamoDB: the models are the single source of table definitions
(infra/ generates the CloudFormation tables from them), the repositories the only code
that reads or writes them."""
