"""Stateful resources: the CloudFormation template generated from the models, and the
bootstrap of an emulated AWS for the local stack and the tests."""
